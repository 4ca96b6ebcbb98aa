// Files that configure MOCO itself (MCP servers, profiles and their policy, .env) ask before each
// write, even after "always" for the tool: an agent must not loosen its own limits.
import { access, mkdir, mkdtemp, readFile, realpath, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApprovalDecision } from '../../protocol/run';
import type { ApprovalRequest } from '../../server/src/orchestrator/approvals';
import { isProtectedPath } from '../../server/src/tools/protectedPaths';
import { startHarness, type EngineHarness } from '../support/engineHarness';
import { byAgent, ScriptedProvider } from '../support/scriptedProvider';

let harness: EngineHarness | undefined;
afterEach(async () => {
  await harness?.dispose();
  harness = undefined;
});

const exists = (file: string): Promise<boolean> => access(file).then(() => true, () => false);

describe('protected paths', () => {
  it.each([
    ['.mcp.json', true],
    ['.vscode/mcp.json', true],
    ['.vscode/settings.json', true],
    ['.moco/profiles/team/profile.yaml', true],
    ['./.env', true],
    ['.env.local', true],
    ['.git/hooks/pre-commit', true],
    ['.git/config', true],
    ['.github/workflows/ci.yml', false],
    ['sub/../.mcp.json', true],
    ['src/.mcp.json.md', false],
    ['.vscode/launch.json', false],
    ['src/index.ts', false],
    ['../outside/.mcp.json', false],
  ])('%s → %s', (input, expected) => {
    expect(isProtectedPath('/work/ws', input)).toBe(expected);
  });

  it('a write to .mcp.json asks each time, even after "always" for write_file; a denied one writes nothing', async () => {
    const asked: ApprovalRequest[] = [];
    const answers: ApprovalDecision[] = ['always', 'deny'];
    const script = new Map([
      [0, { toolCalls: [{ name: 'write_file', arguments: { path: 'notes.txt', content: 'n' } }] }],
      [1, { toolCalls: [{ name: 'write_file', arguments: { path: '.mcp.json', content: '{"mcpServers":{"x":{"command":"sh"}}}' } }] }],
    ]);
    const provider = new ScriptedProvider(byAgent({ writer: (call) => script.get(call.turn) ?? { text: 'done' } }));
    harness = await startHarness({
      team: { name: 'protected-team', agents: [{ name: 'writer', tools: ['write_file'], mode: 'primary' }] },
      provider,
      env: { MOCO_REQUIRE_APPROVAL: 'write_file' },
      approver: (request) => {
        asked.push(request);
        return Promise.resolve(answers[asked.length - 1] ?? 'deny');
      },
    });
    const root = await harness.run('write the files');
    expect(root.status).toBe('done');
    expect(await readFile(path.join(harness.workDir, 'notes.txt'), 'utf8')).toBe('n');
    expect(asked).toHaveLength(2);
    expect(asked[1]!.reason).toContain('.mcp.json configures MOCO or git itself');
    expect(await exists(path.join(harness.workDir, '.mcp.json'))).toBe(false);
  });

  it('a symbolic link to a protected file or folder is protected too', async () => {
    const dir = await realpath(await mkdtemp(path.join(tmpdir(), 'moco-protected-')));
    try {
      await mkdir(path.join(dir, '.moco'));
      await symlink('.mcp.json', path.join(dir, 'innocent.json'));
      await symlink('.moco', path.join(dir, 'm'));
      expect(isProtectedPath(dir, 'innocent.json')).toBe(true);
      expect(isProtectedPath(dir, 'm/profiles/a/profile.yaml')).toBe(true);
      expect(isProtectedPath(dir, 'plain.json')).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
