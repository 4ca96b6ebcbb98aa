/**
 * Loads whole profiles: `profile.yaml`, every `agents/*.md` and the skills, found through the search
 * order of `search.ts`. Also lists profiles for `profiles/list` and looks agents up by name.
 */
import { readdir } from 'node:fs/promises';
import * as path from 'node:path';
import type { ProfileLoadError, ProfilesListResult, ProfileSummary } from '../../../protocol/profiles';
import { loadAgentFile, ORCHESTRATOR_AGENT } from './agentFile';
import { ProfileError, ProfileNotFoundError, UnknownAgentError } from './errors';
import { loadProfileFile } from './profileFile';
import { describeSearchDirs, findAllProfiles, findProfile, searchDirs, type ProfileLocation } from './search';
import { loadSkills } from './skills';
import type { AgentConfig, Profile, ProfileSearch } from './types';

/**
 * Loads the profile `name` from the first search directory that has it.
 *
 * @throws {ProfileNotFoundError} when no search directory has it (the message lists those that do and the directories searched).
 * @throws {ProfileError} when one of its files is malformed, it has no agents, or a file cannot be read.
 */
export async function loadProfile(name: string, search: ProfileSearch): Promise<Profile> {
  const location = await findProfile(name, search);
  if (!location) {
    const [all, searched] = await Promise.all([findAllProfiles(search), describeSearchDirs(search)]);
    const dirs = searchDirs(search);
    const createIn = (dirs.find((d) => d.source === 'workspace') ?? dirs.find((d) => d.source === 'env'))?.dir;
    throw new ProfileNotFoundError(
      name,
      all.map((p) => p.name),
      searched,
      createIn,
    );
  }
  return loadProfileAt(location, search.knownTools);
}

/**
 * Lists every profile of the search path (an earlier directory hiding a later one of the same name),
 * sorted by name. A profile that fails to load is reported in `errors` rather than thrown.
 */
export async function listProfiles(search: ProfileSearch): Promise<ProfilesListResult> {
  const locations = await findAllProfiles(search);
  const results = await Promise.all(
    locations.map((location) => loadProfileAt(location, search.knownTools).then(toProfileSummary, (error: unknown) => loadError(location, error))),
  );
  return {
    profiles: results.filter((r): r is ProfileSummary => 'agents' in r),
    errors: results.filter((r): r is ProfileLoadError => !('agents' in r)),
  };
}

/** The wire shape of a loaded profile (`protocol/profiles.ts`). */
export function toProfileSummary(profile: Profile): ProfileSummary {
  return {
    name: profile.name,
    description: profile.description,
    source: profile.source,
    path: profile.path,
    agents: profile.agents.map((agent) => ({
      name: agent.name,
      description: agent.description,
      mode: agent.mode,
      ...(agent.model === undefined ? {} : { model: agent.model }),
      tools: [...agent.tools],
    })),
    entryAgent: profile.entryAgent,
    warnings: [...profile.warnings],
  };
}

/**
 * The agent called `name`, matched case-insensitively (a leading `@` is ignored).
 *
 * @throws {UnknownAgentError} listing the profile's agent names.
 */
export function findAgent(profile: Profile, name: string): AgentConfig {
  const wanted = name.trim().replace(/^@/, '').toLowerCase();
  const agent = profile.agents.find((a) => a.name.toLowerCase() === wanted);
  if (!agent) {
    throw new UnknownAgentError(
      name,
      profile.name,
      profile.agents.map((a) => a.name),
    );
  }
  return agent;
}

/**
 * Loads the profile in `location.dir`.
 *
 * @throws {ProfileError} as {@link loadProfile}.
 */
export async function loadProfileAt(location: ProfileLocation, knownTools: readonly string[]): Promise<Profile> {
  try {
    const file = await loadProfileFile(path.join(location.dir, 'profile.yaml'), location.name);
    const context = { knownTools, includeBaseTools: file.includeBaseTools };
    const agentFiles = await listAgentFiles(path.join(location.dir, 'agents'));
    const loaded = await settleInOrder(agentFiles.map((agentFile) => loadAgentFile(agentFile, context)));
    const { skills, warnings: skillWarnings } = await loadSkills(path.join(location.dir, 'skills'));
    const agents = loaded.map((l) => l.agent);
    return {
      name: location.name,
      description: file.description,
      source: location.source,
      path: location.dir,
      includeBaseTools: file.includeBaseTools,
      mcpServers: file.mcpServers,
      orchestrator: file.orchestrator,
      policyRules: file.policyRules,
      agents,
      entryAgent: chooseEntryAgent(agents),
      skills,
      warnings: [...file.warnings, ...loaded.flatMap((l) => l.warnings), ...skillWarnings],
    };
  } catch (error) {
    throw asProfileError(error, location.dir);
  }
}

/** `orchestrator` if present, else the first `primary` agent, else the first agent (agents are sorted). */
function chooseEntryAgent(agents: readonly AgentConfig[]): string {
  const chosen =
    agents.find((a) => a.name.toLowerCase() === ORCHESTRATOR_AGENT) ?? agents.find((a) => a.mode === 'primary') ?? agents[0];
  return chosen?.name ?? '';
}

/** The `.md` files of `agentsDir`, sorted by name; at least one, without two names differing only in case. */
async function listAgentFiles(agentsDir: string): Promise<string[]> {
  const example =
    'For example agents/orchestrator.md:\n    ---\n    description: Plans the work and delegates it\n    mode: primary\n' +
    '    tools:\n      - "*"\n      - delegate_to_agent\n    ---\n    You are the orchestrator of ...';
  let names: string[];
  try {
    const entries = await readdir(agentsDir, { withFileTypes: true });
    names = entries
      .filter((e) => (e.isFile() || e.isSymbolicLink()) && e.name.toLowerCase().endsWith('.md'))
      .map((e) => e.name)
      .sort((a, b) => (a < b ? -1 : 1));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw new ProfileError(agentsDir, undefined, `the profile has no agents/ folder. Create it with one .md file per agent. ${example}`);
  }
  if (names.length === 0) {
    throw new ProfileError(agentsDir, undefined, `the agents/ folder holds no agent (no .md file). Add one .md file per agent. ${example}`);
  }
  const seen = new Map<string, string>();
  for (const name of names) {
    const key = name.toLowerCase();
    const twin = seen.get(key);
    if (twin) {
      throw new ProfileError(
        path.join(agentsDir, name),
        undefined,
        `agent names match case-insensitively, so ${name} clashes with ${twin}. Rename or remove one of them.`,
      );
    }
    seen.set(key, name);
  }
  return names.map((name) => path.join(agentsDir, name));
}

/** Awaits every promise; throws the rejection of the first one in array order, if any. */
async function settleInOrder<T>(promises: Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(promises);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
}

function asProfileError(error: unknown, dir: string): unknown {
  if (error instanceof ProfileError) return error;
  const errno = error as NodeJS.ErrnoException;
  if (typeof errno.code === 'string') {
    const file = typeof errno.path === 'string' ? errno.path : dir;
    return new ProfileError(file, undefined, `cannot be read (${errno.code}: ${errno.message}). Check that it exists and is readable.`);
  }
  return error;
}

function loadError(location: ProfileLocation, error: unknown): ProfileLoadError {
  if (error instanceof ProfileError) {
    return { name: location.name, file: error.file, ...(error.line === undefined ? {} : { line: error.line }), message: error.problem };
  }
  return { name: location.name, file: location.dir, message: error instanceof Error ? error.message : String(error) };
}
