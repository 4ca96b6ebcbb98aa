// Profiles as `moco` reports them: a broken agent file (file and line), an unknown profile (the
// profiles found), and `moco list-profiles` on MOCO's own profiles.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSandbox, lastLine, mocoProfilesFixture, type Sandbox } from '../support/cliHarness';
import { always } from '../support/mockLlm';
import { writeTeam } from '../support/teams';

const TEAM = 'team';

let sandbox: Sandbox;
beforeEach(async () => {
  sandbox = await createSandbox();
  await writeTeam(sandbox.profilesDir, {
    name: TEAM,
    agents: [
      { name: 'orchestrator', tools: ['delegate_to_agent'] },
      { name: 'coder', tools: ['read_file'] },
    ],
  });
});
afterEach(async () => {
  await sandbox.cleanup();
});

describe('moco: profiles', () => {
  it('fails with exit 1 naming the file and line of an agent with `mode: main`, without calling the model', async () => {
    const file = path.join(sandbox.profilesDir, TEAM, 'agents', 'coder.md');
    await writeFile(file, ['---', 'description: writes code', 'mode: main', 'tools:', '  - read_file', '---', 'You write code.', ''].join('\n'));
    const mock = await sandbox.startMock(always({ content: 'never asked' }));

    const result = await sandbox.run(['run', '-p', TEAM, '-w', sandbox.workspace, 'Write code.']);

    expect(result.code).toBe(1);
    const reason = lastLine(result.stderr);
    expect(reason).toMatch(/^moco: /);
    expect(reason).toContain(`${file}:3`);
    expect(reason).toContain('mode must be one of primary, chat, subagent');
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(mock.chatRequests()).toHaveLength(0);
    // Nothing ran, so nothing was stored.
    expect(await sandbox.sessionsList()).toEqual([]);

    const listed = await sandbox.run(['list-profiles', '-w', sandbox.workspace]);
    expect(listed.code).toBe(0);
    expect(listed.stderr).toContain(`error: ${file}:3: `);
  });

  it('lists the profiles found when the profile asked for does not exist', async () => {
    await sandbox.startMock(always({ content: 'never asked' }));

    const result = await sandbox.run(['run', '-p', 'no-such-team', '-w', sandbox.workspace, 'Do it.']);

    expect(result.code).toBe(1);
    const reason = lastLine(result.stderr);
    expect(reason).toMatch(/^moco: No profile named "no-such-team"\. Profiles found: /);
    // The test team, and the profiles bundled with MOCO.
    const found = /Profiles found: ([^.]+)\./.exec(reason)?.[1]?.split(', ');
    expect(found).toEqual(expect.arrayContaining([TEAM, 'default', 'code', 'development']));
    expect(reason).toContain(`${sandbox.profilesDir} (MOCO_PROFILES_DIR)`);
  });

  it('`moco list-profiles` lists the four MOCO profiles and warns about the tools they name that are not available', async () => {
    expect(existsSync(mocoProfilesFixture)).toBe(true);

    const result = await sandbox.run(['list-profiles', '-w', sandbox.workspace], { env: { MOCO_PROFILES_DIR: mocoProfilesFixture } });

    expect(result.code).toBe(0);
    const profiles = result.stdout.split('\n').flatMap((line) => /^(\S+) \((\w+)\) — /.exec(line)?.slice(1, 3) ?? []);
    expect(profiles).toEqual(['code', 'env', 'default', 'env', 'development', 'env', 'strategy-consulting', 'env']);
    expect(result.stdout).toContain('  orchestrator [entry] (primary): ');
    expect(result.stdout).toMatch(/^ {2}backend-coder \(subagent\): /m);
    const warnings = result.stderr.trimEnd().split('\n');
    expect(warnings.every((line) => line.startsWith('warning: '))).toBe(true);
    const orchestratorFile = path.join(mocoProfilesFixture, 'development', 'agents', 'orchestrator.md');
    expect(warnings).toContainEqual(
      expect.stringMatching(new RegExp(`^warning: agent orchestrator \\(${escape(orchestratorFile)}:\\d+\\): tools not available in MOCO for VS Code yet: analyze_image, `)),
    );
    expect(warnings.some((line) => line.includes('the agent runs without them'))).toBe(true);

    const json = await sandbox.run(['list-profiles', '--json', '-w', sandbox.workspace], { env: { MOCO_PROFILES_DIR: mocoProfilesFixture } });
    const parsed = JSON.parse(json.stdout) as { profiles: { name: string; agents: unknown[] }[]; errors: unknown[] };
    expect(parsed.profiles.map((profile) => profile.name)).toEqual(['code', 'default', 'development', 'strategy-consulting']);
    expect(parsed.errors).toEqual([]);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
