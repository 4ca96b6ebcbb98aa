// Bad profile files: each error names the file, the line and what to write instead; problems that do
// not stop a profile (unknown keys, tools this project lacks, a broken skill) become warnings.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MocoErrorCodes } from '../../protocol/errors';
import { findAgent, loadProfile, ProfileError, type ProfileSearch } from '../../server/src/profiles';
import { BASE_TOOL_NAMES } from '../../server/src/tools/baseTools';

/** The tools this project has, as the engine passes them to the loader. */
const KNOWN_TOOLS = BASE_TOOL_NAMES;
const FIXTURES = path.resolve(__dirname, '../fixtures/profiles');
const search: ProfileSearch = { env: {}, bundledDir: FIXTURES, knownTools: KNOWN_TOOLS };

async function loadError(name: string, where: ProfileSearch = search): Promise<ProfileError> {
  const error = await loadProfile(name, where).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProfileError);
  return error as ProfileError;
}

function fixture(...parts: string[]): string {
  return path.join(FIXTURES, ...parts);
}

describe('bad profile files', () => {
  it('a YAML syntax error in profile.yaml gives the file, the line, the text and how to fix it', async () => {
    const error = await loadError('yaml-syntax');
    const file = fixture('yaml-syntax', 'profile.yaml');
    expect(error.code).toBe(MocoErrorCodes.ProfileInvalid);
    expect(error.file).toBe(file);
    expect(error.line).toBe(5);
    expect(error.message).toContain(`${file}:5: YAML syntax error: All mapping items must start at the same column.`);
    expect(error.message).toContain(' retry: 3');
    expect(error.message).toContain('check the indentation');
  });

  it('a YAML syntax error in front-matter counts lines from the top of the .md file', async () => {
    const error = await loadError('agent-yaml-syntax');
    const file = fixture('agent-yaml-syntax', 'agents', 'orchestrator.md');
    expect(error.message).toContain(`${file}:4: YAML syntax error:`);
    expect(error.message).toContain('tools: [read_file, grep');
    expect(error.message).toContain('close any open quote or bracket');
  });

  it('include_base_tools that is not a boolean', async () => {
    const error = await loadError('include-base-tools-type');
    expect(error.message).toBe(
      `${fixture('include-base-tools-type', 'profile.yaml')}:3: include_base_tools must be true or false, not "maybe". ` +
        'Write for example: include_base_tools: true',
    );
  });

  it('a mode MOCO does not have', async () => {
    const error = await loadError('bad-mode');
    expect(error.file).toBe(fixture('bad-mode', 'agents', 'coder.md'));
    expect(error.line).toBe(3);
    expect(error.message).toBe(
      `${fixture('bad-mode', 'agents', 'coder.md')}:3: mode must be one of primary, chat, subagent, not "main". ` +
        'Write for example: mode: subagent',
    );
  });

  it('a temperature out of range', async () => {
    const error = await loadError('bad-temperature');
    expect(error.message).toBe(
      `${fixture('bad-temperature', 'agents', 'orchestrator.md')}:5: temperature must be a number from 0 to 2, not 3.5. ` +
        'Write for example: temperature: 0.2',
    );
  });

  it('tools that are neither a list nor a map', async () => {
    const error = await loadError('bad-tools');
    const file = fixture('bad-tools', 'agents', 'orchestrator.md');
    expect(error.message).toContain(
      `${file}:4: tools must be a list of tool names or a map of tool name: true/false, not "read_file". Write for example:`,
    );
    expect(error.message).toContain('      - read_file\n      - grep');
  });

  it('a tools list with a map in it points at that entry', async () => {
    const error = await loadError('bad-tools-item');
    expect(error.message).toBe(
      `${fixture('bad-tools-item', 'agents', 'reviewer.md')}:5: each entry of tools must be a tool name, not a map. ` +
        'Write for example: - read_file',
    );
  });

  it('an agents folder with no agent names the folder', async () => {
    const error = await loadError('empty-agents');
    expect(error.file).toBe(fixture('empty-agents', 'agents'));
    expect(error.line).toBeUndefined();
    expect(error.message).toContain(`${fixture('empty-agents', 'agents')}: the agents/ folder holds no agent (no .md file).`);
    expect(error.message).toContain('For example agents/orchestrator.md:');
  });

  it('a nested orchestrator value of the wrong kind points at its line', async () => {
    const error = await loadError('bad-orchestrator');
    expect(error.message).toBe(
      `${fixture('bad-orchestrator', 'profile.yaml')}:10: attempts must be a whole number, 1 or more, not 0. ` +
        'Write for example: attempts: 3',
    );
  });

  it('an MCP server with both a command and a url points at that server', async () => {
    const error = await loadError('bad-mcp');
    expect(error.message).toContain(
      `${fixture('bad-mcp', 'profile.yaml')}:6: MCP server "nowhere" has both command and url; give it command`,
    );
    expect(error.message).toContain('url: https://example.com/mcp');
  });
});

describe('problems that only warn', () => {
  it('unknown keys, tools this project lacks and a broken skill are warnings; the rest loads', async () => {
    const profile = await loadProfile('with-warnings', search);
    const profileFile = fixture('with-warnings', 'profile.yaml');
    const leadFile = fixture('with-warnings', 'agents', 'lead.md');
    expect(profile.warnings.slice(0, 4)).toEqual([
      `${profileFile}:3: unknown key "theme" is ignored.`,
      `${profileFile}:5: unknown key "orchestrator.max_paralel_tasks" is ignored (did you mean "max_parallel_tasks"?).`,
      `${leadFile}:4: unknown key "color" is ignored.`,
      `agent lead (${leadFile}:5): tools not available in MOCO for VS Code yet: generate_image; the agent runs without them.`,
    ]);
    expect(profile.warnings[4]).toContain(`${fixture('with-warnings', 'skills', 'broken', 'SKILL.md')}:3: YAML syntax error`);
    expect(profile.warnings[4]).toContain('the skill is left out; the rest of the profile works');
    expect(profile.warnings).toHaveLength(5);

    expect(profile.orchestrator).toEqual({
      maxParallelTasks: 5,
      retry: { attempts: 3, baseDelayMs: 200 },
      maxToolCallsPerTurn: 20,
      maxTurns: 12,
      budget: { maxCostUsd: 2.5 },
      maxInputChars: 400_000,
    });
    const lead = findAgent(profile, 'lead');
    expect(lead).toMatchObject({ mode: 'primary', model: 'zai/glm-4.7', temperature: 0.3, maxTurns: 7 });
    expect(lead.tools).toEqual([
      'read_file', 'edit_file', 'list_dir', 'glob_search', 'tree', 'grep', 'todowrite', 'todoread', 'file_info', 'ripgrep', 'find_definition',
      'find_references', 'execute_bash', 'start_background', 'stop_process', 'list_processes', 'send_input', 'wait_for_pattern', 'get_output',
      'webfetch', 'websearch', 'git_status', 'git_diff', 'git_log', 'git_commit', 'create_pr', 'delegate_to_agent',
    ]);
    expect(findAgent(profile, 'helper')).toMatchObject({ mode: 'chat', tools: [] });
    expect(profile.entryAgent).toBe('lead');
    expect(profile.skills.map((s) => ({ name: s.name, description: s.description, triggers: s.triggers, allowedTools: s.allowedTools }))).toEqual([
      { name: 'checklist', description: 'Review checklist', triggers: [], allowedTools: undefined },
      { name: 'python-style', description: 'Python coding rules', triggers: ['python'], allowedTools: ['read_file', 'grep'] },
    ]);
  });

  it('include_base_tools: no (YAML 1.1, as MOCO reads it) leaves base tools out, with a warning', async () => {
    const profile = await loadProfile('no-base-tools', search);
    expect(profile.includeBaseTools).toBe(false);
    expect(findAgent(profile, 'orchestrator').tools).toEqual(['delegate_to_agent']);
    expect(profile.warnings).toEqual([
      `agent orchestrator (${fixture('no-base-tools', 'agents', 'orchestrator.md')}:3): profile.yaml sets include_base_tools: false, ` +
        'so these tools are left out: read_file. Set include_base_tools: true to grant them.',
    ]);
  });
});

describe('files written in a temporary folder', () => {
  let root: string;
  let where: ProfileSearch;

  async function writeAgent(name: string, content: string): Promise<string> {
    const file = path.join(root, 'team', 'agents', `${name}.md`);
    await writeFile(file, content);
    return file;
  }

  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'moco-bad-profiles-'));
    await mkdir(path.join(root, 'team', 'agents'), { recursive: true });
    await writeFile(path.join(root, 'team', 'profile.yaml'), 'name: team\n');
    where = { env: {}, bundledDir: root, knownTools: KNOWN_TOOLS };
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('front-matter with Windows line ends keeps its line numbers', async () => {
    const file = await writeAgent('coder', '---\r\ndescription: Writes code\r\nmode: boss\r\n---\r\nYou write code.\r\n');
    const error = await loadError('team', where);
    expect(error.message.startsWith(`${file}:3: mode must be one of primary, chat, subagent, not "boss".`)).toBe(true);

    await writeAgent('coder', '---\r\ndescription: Writes code\r\nmode: chat\r\n---\r\nYou write code.\r\nWell.\r\n');
    const profile = await loadProfile('team', where);
    expect(profile.agents[0]).toMatchObject({ description: 'Writes code', mode: 'chat', systemPrompt: 'You write code.\nWell.' });
  });

  it('front-matter that is never closed says so', async () => {
    const file = await writeAgent('coder', '---\ndescription: Writes code\nYou write code.\n');
    const error = await loadError('team', where);
    expect(error.message).toBe(
      `${file}:1: the front-matter opened by "---" on line 1 is never closed. Add a line "---" after its keys, before the Markdown body.`,
    );
  });

  it('a model without a provider', async () => {
    const file = await writeAgent('coder', '---\ndescription: Writes code\nmodel: gpt-4o\n---\nYou write code.\n');
    const error = await loadError('team', where);
    expect(error.message).toBe(
      `${file}:3: model must be provider/model, not "gpt-4o". Write for example: model: openrouter/anthropic/claude-sonnet-4`,
    );
  });

  it('several problems are all reported, the first line first', async () => {
    const file = await writeAgent('coder', '---\ntemperature: -1\nmode: boss\nmax_turns: 0\n---\nYou write code.\n');
    const error = await loadError('team', where);
    expect(error.line).toBe(2);
    expect(error.message).toContain(`${file}:2: temperature must be a number from 0 to 2, not -1.`);
    expect(error.message).toContain(`\n${file}:3: mode must be one of primary, chat, subagent, not "boss".`);
    expect(error.message).toContain(`\n${file}:4: max_turns must be a whole number, 1 or more, not 0.`);
  });

  it('an agent file with no front-matter loads with all base tools and a warning', async () => {
    const file = await writeAgent('orchestrator', 'You plan.\n');
    const profile = await loadProfile('team', where);
    expect(profile.agents[0]).toMatchObject({ name: 'orchestrator', mode: 'primary', description: '', systemPrompt: 'You plan.' });
    expect(profile.agents[0]?.tools).toEqual(KNOWN_TOOLS);
    expect(profile.warnings).toEqual([
      `${file}:1: agent orchestrator has no description, so the orchestrator cannot tell what it is for. ` +
        'Add one to its front-matter, for example: description: Reviews code for bugs.',
    ]);
  });

  it('duplicate MCP server names are an error on the second one', async () => {
    await writeAgent('orchestrator', '---\ndescription: Plans\n---\nYou plan.\n');
    const profileFile = path.join(root, 'team', 'profile.yaml');
    await writeFile(profileFile, 'name: team\nmcp_servers:\n  - name: files\n    url: https://a.example/mcp\n  - name: files\n    command: npx\n');
    const error = await loadError('team', where);
    expect(error.message).toBe(`${profileFile}:5: two MCP servers are named "files"; give each server its own name.`);
  });

  it('MCP servers are read with their defaults', async () => {
    await writeAgent('orchestrator', '---\ndescription: Plans\n---\nYou plan.\n');
    await writeFile(
      path.join(root, 'team', 'profile.yaml'),
      'name: team\nmcp_servers:\n  - name: files\n    command: npx\n    args: ["-y", 8080]\n    env:\n      DEBUG: true\n  - name: remote\n    url: https://a.example/mcp\n',
    );
    const profile = await loadProfile('team', where);
    expect(profile.mcpServers).toEqual([
      { name: 'files', command: 'npx', args: ['-y', '8080'], env: { DEBUG: 'true' } },
      { name: 'remote', url: 'https://a.example/mcp' },
    ]);
  });
});
