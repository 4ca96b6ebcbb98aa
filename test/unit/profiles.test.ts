// Loading MOCO's own published profiles unchanged, the bundled profiles, agent lookup, and the search
// order (MOCO_PROFILES_DIR, then <workspace>/.moco/profiles, then the bundled folder).
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MocoErrorCodes } from '../../protocol/errors';
import {
  findAgent,
  listProfiles,
  loadProfile,
  ProfileError,
  ProfileNotFoundError,
  toProfileSummary,
  UnknownAgentError,
  type Profile,
  type ProfileSearch,
} from '../../server/src/profiles';
import { BASE_TOOL_NAMES } from '../../server/src/tools/baseTools';

/** The tools this project has, as the engine passes them to the loader. */
const KNOWN_TOOLS = BASE_TOOL_NAMES;
const BASE_TOOLS = KNOWN_TOOLS.filter((tool) => tool !== 'delegate_to_agent');
const MOCO_PROFILES = path.resolve(__dirname, '../../../shared/fixtures/moco-profiles');
const BUNDLED_PROFILES = path.resolve(__dirname, '../../profiles');

function mocoSearch(): ProfileSearch {
  return { env: {}, bundledDir: MOCO_PROFILES, knownTools: KNOWN_TOOLS };
}

function agentTools(profile: Profile): Record<string, string[]> {
  return Object.fromEntries(profile.agents.map((agent) => [agent.name, agent.tools]));
}

function agentModes(profile: Profile): Record<string, string> {
  return Object.fromEntries(profile.agents.map((agent) => [agent.name, agent.mode]));
}

describe("MOCO's published profiles load unchanged", () => {
  it('default: one primary orchestrator with every base tool and delegation, no warnings', async () => {
    const profile = await loadProfile('default', mocoSearch());
    expect(profile.description).toBe('汎用（最小構成）');
    expect(profile.source).toBe('bundled');
    expect(profile.path).toBe(path.join(MOCO_PROFILES, 'default'));
    expect(profile.includeBaseTools).toBe(true);
    expect(agentModes(profile)).toEqual({ orchestrator: 'primary' });
    expect(agentTools(profile)).toEqual({ orchestrator: [...KNOWN_TOOLS] });
    expect(profile.entryAgent).toBe('orchestrator');
    expect(profile.warnings).toEqual([]);
    const [orchestrator] = profile.agents;
    expect(orchestrator?.description).toBe('汎用タスクを処理するオーケストレーターエージェント。');
    expect(orchestrator?.systemPrompt.startsWith('現在時刻: {{CURRENT_DATETIME}}')).toBe(true);
    expect(orchestrator?.systemPrompt).not.toContain('tools:');
    expect(orchestrator?.unavailableTools).toEqual([]);
    expect(orchestrator?.file).toBe(path.join(MOCO_PROFILES, 'default', 'agents', 'orchestrator.md'));
  });

  it('code: the orchestrator without a mode is primary; the map-form reviewer keeps only its true, known tools', async () => {
    const profile = await loadProfile('code', mocoSearch());
    expect(agentModes(profile)).toEqual({ 'code-reviewer': 'subagent', orchestrator: 'primary' });
    expect(agentTools(profile)).toEqual({
      'code-reviewer': ['read_file', 'list_dir', 'glob_search', 'grep', 'ripgrep', 'find_definition', 'find_references', 'webfetch', 'websearch'],
      orchestrator: [...KNOWN_TOOLS],
    });
    expect(profile.entryAgent).toBe('orchestrator');
    const reviewerFile = path.join(MOCO_PROFILES, 'code', 'agents', 'code-reviewer.md');
    expect(profile.warnings).toEqual([
      `agent code-reviewer (${reviewerFile}:7): tools not available in MOCO for VS Code yet: codebase_search; the agent runs without them.`,
    ]);
    expect(findAgent(profile, 'code-reviewer').unavailableTools).toEqual(['codebase_search']);
  });

  it('development: sixteen agents, "*" without delegation for specialists, one warning per agent naming the missing tools', async () => {
    const profile = await loadProfile('development', mocoSearch());
    const names = profile.agents.map((agent) => agent.name);
    expect(names).toEqual([
      'api-designer',
      'architect',
      'backend-coder',
      'code-reviewer',
      'doc-writer',
      'frontend-coder',
      'integration-tester',
      'orchestrator',
      'performance-reviewer',
      'refactorer',
      'schema-designer',
      'security-reviewer',
      'spec-writer',
      'test-strategist',
      'ui-designer',
      'unit-tester',
    ]);
    for (const agent of profile.agents) {
      expect(agent.mode).toBe(agent.name === 'orchestrator' ? 'primary' : 'subagent');
      expect(agent.description).not.toBe('');
      expect(agent.systemPrompt).toContain('{{CURRENT_DATETIME}}');
    }
    const tools = agentTools(profile);
    for (const starAgent of ['api-designer', 'backend-coder', 'frontend-coder', 'refactorer', 'spec-writer', 'unit-tester']) {
      expect(tools[starAgent]).toEqual(BASE_TOOLS);
    }
    expect(tools.orchestrator).toEqual([
      'read_file', 'list_dir', 'glob_search', 'tree', 'grep', 'todowrite', 'todoread',
      'execute_bash', 'start_background', 'stop_process', 'list_processes', 'wait_for_pattern', 'get_output',
      'webfetch', 'websearch', 'delegate_to_agent',
    ]);
    expect(tools.architect).toEqual(['read_file', 'write_file', 'list_dir', 'glob_search', 'grep', 'todowrite', 'todoread', 'file_info', 'webfetch', 'websearch']);
    expect(tools['security-reviewer']).toEqual(['read_file', 'list_dir', 'glob_search', 'grep', 'todowrite', 'todoread', 'execute_bash', 'webfetch', 'websearch']);

    const warned = profile.warnings.map((warning) => /^agent (\S+) /.exec(warning)?.[1]);
    expect(warned).toEqual([
      'architect',
      'code-reviewer',
      'doc-writer',
      'frontend-coder',
      'orchestrator',
      'performance-reviewer',
      'security-reviewer',
      'ui-designer',
    ]);
    const orchestratorWarning = profile.warnings.find((w) => w.startsWith('agent orchestrator '));
    expect(orchestratorWarning).toContain(`${path.join(MOCO_PROFILES, 'development', 'agents', 'orchestrator.md')}:6`);
    expect(orchestratorWarning).toContain('tools not available in MOCO for VS Code yet: analyze_image, load_skill');
    expect(orchestratorWarning).toContain('load_skill');
    expect(orchestratorWarning).toContain('browser_set_device; the agent runs without them.');
    expect(findAgent(profile, 'frontend-coder').unavailableTools).toEqual(['browser_close']);
  });

  it('strategy-consulting: agents without an opening "---" still load, and flat skills are read', async () => {
    const profile = await loadProfile('strategy-consulting', mocoSearch());
    expect(profile.description).toContain('戦略コンサルティング専門チーム');
    expect(profile.agents).toHaveLength(11);
    expect(profile.entryAgent).toBe('orchestrator');
    expect(agentModes(profile).orchestrator).toBe('primary');
    expect(profile.agents.filter((a) => a.mode !== 'subagent').map((a) => a.name)).toEqual(['orchestrator']);
    const tools = agentTools(profile);
    expect(tools.orchestrator).toEqual([...KNOWN_TOOLS]);
    expect(tools['market-researcher']).toEqual(['webfetch', 'websearch', 'delegate_to_agent']);
    expect(tools['data-analyst']).toEqual(['read_file', 'write_file', 'execute_bash', 'delegate_to_agent']);

    for (const name of ['document-reviewer', 'strategy-reviewer']) {
      const agent = findAgent(profile, name);
      expect(agent.tools).toEqual(['read_file', 'write_file', 'edit_file', 'list_dir', 'glob_search', 'tree', 'grep', 'file_info', 'webfetch', 'websearch', 'delegate_to_agent']);
      expect(agent.systemPrompt.startsWith('あなたは戦略コンサルティング')).toBe(true);
      expect(agent.systemPrompt).not.toContain('browser_set_device');
      const file = path.join(MOCO_PROFILES, 'strategy-consulting', 'agents', `${name}.md`);
      expect(profile.warnings).toContain(
        `${file}:1: the front-matter has no opening "---"; lines 1-38 were read as front-matter. Add a line "---" at the top of the file.`,
      );
      expect(profile.warnings.some((w) => w.startsWith(`${file}:1: agent ${name} has no description`))).toBe(true);
    }
    expect(profile.skills.map((skill) => [skill.name, skill.description])).toEqual([
      ['delegation', 'コンサルティング委譲（Delegation）スキル'],
      ['structuring', '仮説思考と構造化 (Hypothesis & Structuring)'],
    ]);
    expect(profile.skills[0]?.file).toBe(path.join(MOCO_PROFILES, 'strategy-consulting', 'skills', 'delegation.md'));
    expect(profile.skills[0]?.body).toContain('委譲の 5 要素');
  });

  it('lists all four with their summaries and no errors', async () => {
    const result = await listProfiles(mocoSearch());
    expect(result.errors).toEqual([]);
    expect(result.profiles.map((p) => [p.name, p.entryAgent, p.agents.length])).toEqual([
      ['code', 'orchestrator', 2],
      ['default', 'orchestrator', 1],
      ['development', 'orchestrator', 16],
      ['strategy-consulting', 'orchestrator', 11],
    ]);
    const code = result.profiles[0];
    expect(code?.agents[0]).toEqual({
      name: 'code-reviewer',
      description: expect.stringContaining('コードレビューを担当するエージェント') as unknown,
      mode: 'subagent',
      tools: ['read_file', 'list_dir', 'glob_search', 'grep', 'ripgrep', 'find_definition', 'find_references', 'webfetch', 'websearch'],
    });
  });
});

describe('the bundled profiles', () => {
  it.each(['default', 'code', 'development'])('%s loads without errors', async (name) => {
    const profile = await loadProfile(name, { env: {}, bundledDir: BUNDLED_PROFILES, knownTools: KNOWN_TOOLS });
    expect(profile.source).toBe('bundled');
    expect(profile.agents.length).toBeGreaterThan(0);
    expect(profile.agents.map((a) => a.name)).toContain(profile.entryAgent);
  });
});

describe('findAgent', () => {
  it('matches case-insensitively, with or without "@", and lists the valid names otherwise', async () => {
    const profile = await loadProfile('code', mocoSearch());
    expect(findAgent(profile, 'Code-Reviewer').name).toBe('code-reviewer');
    expect(findAgent(profile, '@ORCHESTRATOR').name).toBe('orchestrator');
    const error = (() => {
      try {
        findAgent(profile, 'tester');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(UnknownAgentError);
    expect((error as UnknownAgentError).code).toBe(MocoErrorCodes.UnknownAgent);
    expect((error as Error).message).toBe('No agent named "tester" in profile "code". Valid agents: code-reviewer, orchestrator.');
  });
});

describe('the search order', () => {
  let root: string;
  let envDir: string;
  let workspace: string;
  let bundled: string;

  async function writeProfile(dir: string, name: string, description: string, agent = 'orchestrator'): Promise<void> {
    await mkdir(path.join(dir, name, 'agents'), { recursive: true });
    await writeFile(path.join(dir, name, 'profile.yaml'), `name: ${name}\ndescription: ${description}\n`);
    await writeFile(path.join(dir, name, 'agents', `${agent}.md`), `---\ndescription: ${description}\n---\nYou work.\n`);
  }

  function search(withEnv = true, withWorkspace = true): ProfileSearch {
    return {
      env: withEnv ? { MOCO_PROFILES_DIR: envDir } : {},
      ...(withWorkspace ? { workingDir: workspace } : {}),
      bundledDir: bundled,
      knownTools: KNOWN_TOOLS,
    };
  }

  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'moco-profiles-'));
    envDir = path.join(root, 'env-profiles');
    workspace = path.join(root, 'workspace');
    bundled = path.join(root, 'bundled');
    const workspaceDir = path.join(workspace, '.moco', 'profiles');
    await writeProfile(envDir, 'shared', 'from the env dir');
    await writeProfile(workspaceDir, 'shared', 'from the workspace');
    await writeProfile(bundled, 'shared', 'bundled');
    await writeProfile(workspaceDir, 'team', 'team from the workspace');
    await writeProfile(bundled, 'team', 'bundled team');
    await writeProfile(bundled, 'solo', 'bundled solo', 'helper');
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('MOCO_PROFILES_DIR hides the workspace, which hides the bundled folder', async () => {
    expect((await loadProfile('shared', search())).description).toBe('from the env dir');
    expect((await loadProfile('shared', search())).source).toBe('env');
    expect((await loadProfile('shared', search(false))).description).toBe('from the workspace');
    expect((await loadProfile('shared', search(false))).source).toBe('workspace');
    expect((await loadProfile('shared', search(false, false))).description).toBe('bundled');
    expect((await loadProfile('team', search())).source).toBe('workspace');
    const solo = await loadProfile('solo', search());
    expect(solo.source).toBe('bundled');
    expect(solo.entryAgent).toBe('helper');
  });

  it('lists each name once, from the first folder that has it', async () => {
    const result = await listProfiles(search());
    expect(result.profiles.map((p) => [p.name, p.source, p.description])).toEqual([
      ['shared', 'env', 'from the env dir'],
      ['solo', 'bundled', 'bundled solo'],
      ['team', 'workspace', 'team from the workspace'],
    ]);
    expect(result.errors).toEqual([]);
  });

  it('a broken profile hides a good one of the same name, and is listed as an error with its file and line', async () => {
    await writeFile(path.join(envDir, 'shared', 'agents', 'orchestrator.md'), '---\ndescription: x\nmode: boss\n---\nYou work.\n');
    const file = path.join(envDir, 'shared', 'agents', 'orchestrator.md');
    await expect(loadProfile('shared', search())).rejects.toThrow(`${file}:3: mode must be one of primary, chat, subagent`);
    const result = await listProfiles(search());
    expect(result.profiles.map((p) => p.name)).toEqual(['solo', 'team']);
    expect(result.errors).toEqual([
      {
        name: 'shared',
        file,
        line: 3,
        message: 'mode must be one of primary, chat, subagent, not "boss". Write for example: mode: subagent',
      },
    ]);
  });

  it('an unknown profile names the profiles found and the folders searched', async () => {
    const missingEnv = path.join(root, 'no-such-dir');
    const error = await loadProfile('ghost', { ...search(), env: { MOCO_PROFILES_DIR: missingEnv } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProfileNotFoundError);
    const notFound = error as ProfileNotFoundError;
    expect(notFound.code).toBe(MocoErrorCodes.ProfileNotFound);
    expect(notFound.available).toEqual(['shared', 'solo', 'team']);
    expect(notFound.message).toContain('No profile named "ghost". Profiles found: shared, solo, team.');
    expect(notFound.message).toContain(`${missingEnv} (MOCO_PROFILES_DIR), which does not exist`);
    expect(notFound.message).toContain(`${path.join(workspace, '.moco', 'profiles')} (workspace)`);
    expect(notFound.message).toContain(`${bundled} (bundled)`);
    expect(notFound.message).toContain(`create ${path.join(workspace, '.moco', 'profiles')}/ghost/profile.yaml`);

    const withoutWorkspace = await loadProfile('ghost', search(false, false)).catch((e: unknown) => e);
    expect((withoutWorkspace as Error).message).toBe(
      `No profile named "ghost". Profiles found: shared, solo, team. Searched, in order: ${bundled} (bundled). ` +
        'Use one of the profiles found, or create a folder ghost/ with profile.yaml and agents/<agent>.md, ' +
        'and set MOCO_PROFILES_DIR to the folder that holds it.',
    );
  });

  it('a profile folder without profile.yaml says to create it', async () => {
    await mkdir(path.join(bundled, 'bare', 'agents'), { recursive: true });
    const error = await loadProfile('bare', search()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProfileError);
    expect((error as ProfileError).file).toBe(path.join(bundled, 'bare', 'profile.yaml'));
    expect((error as Error).message).toContain('the profile has no profile.yaml. Create it with, for example:');
  });

  it('two agent files whose names differ only in case clash', async () => {
    await writeFile(path.join(bundled, 'solo', 'agents', 'Helper.md'), '---\ndescription: x\n---\nHi.\n');
    const error = await loadProfile('solo', search()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProfileError);
    expect((error as Error).message).toContain('agent names match case-insensitively, so helper.md clashes with Helper.md');
  });

  it('summarises a profile for the wire without its prompts', async () => {
    const summary = toProfileSummary(await loadProfile('team', search()));
    expect(summary).toEqual({
      name: 'team',
      description: 'team from the workspace',
      source: 'workspace',
      path: path.join(workspace, '.moco', 'profiles', 'team'),
      agents: [{ name: 'orchestrator', description: 'team from the workspace', mode: 'primary', tools: [...KNOWN_TOOLS] }],
      entryAgent: 'orchestrator',
      warnings: [],
    });
  });
});
