// What chat/send checks before it stores anything: an entry agent whose own `model:` cannot be
// resolved fails the send, and no empty session is left behind.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MocoErrorCodes } from '../../protocol/errors';
import { MocoEngine } from '../../server/src/engine/engine';
import { repoRoot } from '../support/repo';

let dir: string;
let engine: MocoEngine;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'moco-send-'));
  const agents = path.join(dir, 'profiles', 'pinned', 'agents');
  await mkdir(agents, { recursive: true });
  await writeFile(path.join(dir, 'profiles', 'pinned', 'profile.yaml'), 'name: pinned\n');
  await writeFile(path.join(agents, 'orchestrator.md'), '---\ndescription: pinned to Z.ai\nmode: primary\nmodel: zai/glm-4.7\ntools: [read_file]\n---\nYou answer.\n');
  engine = MocoEngine.open({
    databaseFile: path.join(dir, 'moco.db'),
    bundledProfilesDir: path.join(repoRoot, 'profiles'),
    env: { MOCO_PROFILES_DIR: path.join(dir, 'profiles'), OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' },
    defaultWorkingDir: dir,
  });
});
afterEach(async () => {
  await engine.close();
  await rm(dir, { recursive: true, force: true });
});

describe('chat/send', () => {
  it("fails with ProviderNotConfigured naming the key when the entry agent's own model has none, and stores no session", async () => {
    const failure = engine.send({ text: 'hello', profile: 'pinned' });
    await expect(failure).rejects.toMatchObject({ code: MocoErrorCodes.ProviderNotConfigured, message: expect.stringContaining('ZAI_API_KEY') as unknown });
    expect(engine.listSessions()).toEqual([]);
  });
});
