// System prompts: {{CURRENT_DATETIME}} and the workspace's project memory (MOCO.md, else AGENTS.md).
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  findAgent,
  formatDateTime,
  loadProfile,
  PROJECT_MEMORY_MAX_BYTES,
  readProjectMemory,
  renderSystemPrompt,
  type AgentConfig,
} from '../../server/src/profiles';

const NOW = new Date(Date.UTC(2026, 10, 21, 5, 3, 9));

function agent(systemPrompt: string): AgentConfig {
  return { name: 'a', description: '', mode: 'subagent', systemPrompt, tools: [], unavailableTools: [], mcpTools: { allow: [], deny: [], wildcard: true }, file: '/x/a.md' };
}

describe('renderSystemPrompt', () => {
  it('replaces every {{CURRENT_DATETIME}} with the local date, time and zone', () => {
    const prompt = renderSystemPrompt(agent('Now: {{CURRENT_DATETIME}}. Again: {{CURRENT_DATETIME}}'), {
      now: NOW,
      timeZone: 'Asia/Tokyo',
    });
    expect(prompt).toBe('Now: 2026-11-21 14:03:09 (Asia/Tokyo, UTC+09:00). Again: 2026-11-21 14:03:09 (Asia/Tokyo, UTC+09:00)');
  });

  it('formats UTC and negative offsets, and uses the process zone by default', () => {
    expect(formatDateTime(NOW, 'UTC')).toBe('2026-11-21 05:03:09 (UTC, UTC+00:00)');
    expect(formatDateTime(NOW, 'America/New_York')).toBe('2026-11-21 00:03:09 (America/New_York, UTC-05:00)');
    expect(renderSystemPrompt(agent('{{CURRENT_DATETIME}}'), { now: NOW })).toMatch(
      /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \(.+, UTC[+-]\d\d:\d\d\)$/,
    );
  });

  it('appends project memory under a heading, and nothing when it is blank', () => {
    const withMemory = renderSystemPrompt(agent('You review code.'), { now: NOW, projectMemory: '\nUse tabs.\n' });
    expect(withMemory).toBe('You review code.\n\n# Project memory\n\nInstructions and notes from this project\'s maintainers:\n\nUse tabs.');
    expect(renderSystemPrompt(agent('You review code.'), { now: NOW, projectMemory: '  \n' })).toBe('You review code.');
  });

  it("fills in a MOCO profile's Japanese prompt", async () => {
    const profile = await loadProfile('development', {
      env: {},
      bundledDir: path.resolve(__dirname, '../../../shared/fixtures/moco-profiles'),
      knownTools: ['read_file', 'delegate_to_agent'],
    });
    const prompt = renderSystemPrompt(findAgent(profile, 'backend-coder'), { now: NOW, timeZone: 'Asia/Tokyo' });
    expect(prompt).toContain('現在時刻: 2026-11-21 14:03:09 (Asia/Tokyo, UTC+09:00)');
    expect(prompt).not.toContain('{{CURRENT_DATETIME}}');
  });
});

describe('readProjectMemory', () => {
  let workspace: string;
  beforeEach(async () => {
    workspace = await mkdtemp(path.join(tmpdir(), 'moco-memory-'));
  });
  afterEach(async () => {
    await rm(workspace, { recursive: true, force: true });
  });

  it('is undefined without MOCO.md or AGENTS.md', async () => {
    await mkdir(path.join(workspace, 'MOCO.md')); // a folder of that name is not memory
    expect(await readProjectMemory(workspace)).toBeUndefined();
  });

  it('reads AGENTS.md, prefers MOCO.md, and skips a blank MOCO.md', async () => {
    await writeFile(path.join(workspace, 'AGENTS.md'), '# Agents\nRun npm test.\n');
    expect(await readProjectMemory(workspace)).toBe('# Agents\nRun npm test.\n');
    await writeFile(path.join(workspace, 'MOCO.md'), '\n  \n');
    expect(await readProjectMemory(workspace)).toBe('# Agents\nRun npm test.\n');
    await writeFile(path.join(workspace, 'MOCO.md'), '\uFEFFUse tabs.\n');
    expect(await readProjectMemory(workspace)).toBe('Use tabs.\n');
  });

  it('keeps the first 64 KiB, cut between characters, and says it was cut', async () => {
    const text = 'あ'.repeat(30_000); // 3 bytes each: 90,000 bytes, and 65,536 falls inside a character
    await writeFile(path.join(workspace, 'MOCO.md'), text);
    const memory = (await readProjectMemory(workspace)) ?? '';
    const [kept = '', note] = memory.split('\n\n');
    expect(kept).toBe('あ'.repeat(Math.floor(PROJECT_MEMORY_MAX_BYTES / 3)));
    expect(note).toBe(
      '[MOCO.md is 90000 bytes; only its first 65536 bytes are included here. Keep it shorter so all of it reaches the agents.]',
    );
  });
});
