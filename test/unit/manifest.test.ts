import { describe, expect, it } from 'vitest';
import { CommandIds, ContextKeys, SettingIds, ViewContainerIds, ViewIds } from '../../protocol/ids';
import { readManifest } from '../support/repo';

interface Manifest {
  engines: { vscode: string; node: string };
  activationEvents: string[];
  main: string;
  devDependencies: Record<string, string>;
  contributes: {
    viewsContainers: { activitybar: { id: string }[] };
    views: Record<string, { id: string; type?: string; name: string }[]>;
    viewsWelcome: { view: string; contents: string; when?: string }[];
    commands: { command: string; title: string; category: string; enablement?: string }[];
    configuration: { properties: Record<string, unknown> };
  };
}

const manifest = readManifest() as unknown as Manifest;

describe('package.json and protocol/ids.ts agree', () => {
  it('contributes exactly the commands of CommandIds, each in the MOCO category', () => {
    const contributed = manifest.contributes.commands.map((c) => c.command).sort();
    expect(contributed).toEqual(Object.values(CommandIds).sort());
    for (const command of manifest.contributes.commands) expect(command.category).toBe('MOCO');
  });

  it('contributes the MOCO container with Chat (a webview), Agents and Tasks', () => {
    expect(manifest.contributes.viewsContainers.activitybar.map((c) => c.id)).toEqual([ViewContainerIds.moco]);
    const views = manifest.contributes.views[ViewContainerIds.moco] ?? [];
    expect(views.map((v) => [v.id, v.name, v.type ?? 'tree'])).toEqual([
      [ViewIds.chat, 'Chat', 'webview'],
      [ViewIds.agents, 'Agents', 'tree'],
      [ViewIds.tasks, 'Tasks', 'tree'],
    ]);
  });

  it('gives both trees an empty state, for a running and for a failed server', () => {
    for (const view of [ViewIds.agents, ViewIds.tasks]) {
      const welcome = manifest.contributes.viewsWelcome.filter((w) => w.view === view);
      expect(welcome).toHaveLength(2);
      expect(welcome.some((w) => w.when?.includes(`${ContextKeys.serverState} == failed`))).toBe(true);
    }
  });

  it('contributes exactly the settings of SettingIds', () => {
    expect(Object.keys(manifest.contributes.configuration.properties).sort()).toEqual(Object.values(SettingIds).sort());
  });

  it('shows server commands disabled when the server failed, by a context key of ContextKeys', () => {
    const status = manifest.contributes.commands.find((c) => c.command === CommandIds.showServerStatus);
    expect(status?.enablement).toContain(`${ContextKeys.serverState} != failed`);
  });
});

describe('activation and engines', () => {
  it('activates only when a MOCO view or command is used, never on start-up', () => {
    // Contributed views and commands activate the extension by themselves (VS Code >= 1.74); any
    // other event would start MOCO when none of its views or commands is used.
    for (const event of manifest.activationEvents) expect(event).toMatch(/^(onView|onCommand):moco\./);
    expect(manifest.main).toBe('./dist/client.js');
  });

  it('types the VS Code API of the oldest supported VS Code', () => {
    const minimum = manifest.engines.vscode.replace(/^\^/, '');
    expect(manifest.devDependencies['@types/vscode']).toBe(minimum);
    expect(manifest.engines.node).toBe('>=22.13');
  });
});
