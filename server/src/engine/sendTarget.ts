/**
 * Works out what a `chat/send` or `moco run` means before anything runs: the session, the working
 * directory, the environment (with `.env`), the profile, the provider and model, and the agent
 * (the profile's entry agent, or the one a leading `@agent` names).
 */
import { realpath, stat } from 'node:fs/promises';
import { MocoErrorCodes } from '../../../protocol/errors';
import type { ChatSendParams } from '../../../protocol/run';
import type { SessionSummary } from '../../../protocol/sessions';
import { findAgent, loadProfile, readProjectMemory, type AgentConfig, type Profile } from '../profiles';
import { loadEnv, resolveProvider, type ConfigSurface } from '../providers/config';
import { prepareRunEnv, type CredentialSource } from '../providers/runEnv';
import { BASE_TOOL_NAMES } from '../tools/baseTools';
import { MocoError } from '../orchestrator/errors';

/** Everything a run needs that comes from the request, the session and the environment. */
export interface SendTarget {
  /** The existing session, or undefined when a new one is to be created. */
  session?: SessionSummary;
  workingDir: string;
  env: Record<string, string | undefined>;
  profile: Profile;
  /** The session's provider id and model. */
  providerId: string;
  model: string;
  agent: AgentConfig;
  task: string;
  projectMemory?: string;
  /** The base URL that replaced the provider's (`ChatSendParams.baseURL`), to store with the session. */
  baseURL?: string;
}

/** Inputs that do not come from the request. */
export interface TargetDefaults {
  processEnv: Record<string, string | undefined>;
  bundledProfilesDir: string;
  defaultWorkingDir: string;
  /** Who reads configuration errors (config.ts); default `cli`. */
  surface?: ConfigSurface;
  /** The editor's API keys (runEnv.ts); absent in the CLI. */
  credentials?: CredentialSource;
}

/** The profile used when neither the request nor the session nor `MOCO_PROFILE` names one. */
export const DEFAULT_PROFILE = 'default';

/**
 * Resolves the working directory to its real path.
 * @throws {MocoError} `InvalidRequest` when it does not exist or is not a directory.
 */
export async function resolveWorkingDir(dir: string): Promise<string> {
  try {
    const real = await realpath(dir);
    if (!(await stat(real)).isDirectory()) throw new Error('not a directory');
    return real;
  } catch {
    throw new MocoError(MocoErrorCodes.InvalidRequest, `The working directory ${dir} does not exist or is not a directory. Choose an existing folder (--working-dir or /cd).`);
  }
}

/** Splits `@agent task` off the front of a message. */
function splitAgentPrefix(text: string): { agentName?: string; task: string } {
  const match = /^@([A-Za-z0-9][\w.-]*)\s+([\s\S]+)$/.exec(text.trim());
  return match ? { agentName: match[1]!, task: match[2]!.trim() } : { task: text.trim() };
}

/** Splits a stored session model `provider/model` in two (the model may contain `/`). */
export function splitSessionModel(value: string): { provider: string; model: string } {
  const slash = value.indexOf('/');
  return slash < 0 ? { provider: value, model: '' } : { provider: value.slice(0, slash), model: value.slice(slash + 1) };
}

/**
 * Resolves a send.
 * @throws {ProfileError|ProfileNotFoundError|UnknownAgentError|ProviderError|MocoError} with a
 *   message that says what to change.
 */
export async function resolveSendTarget(params: ChatSendParams, session: SessionSummary | undefined, defaults: TargetDefaults): Promise<SendTarget> {
  const workingDir = await resolveWorkingDir(params.workingDir ?? session?.workingDir ?? defaults.defaultWorkingDir);
  const fileEnv = loadEnv(workingDir, defaults.processEnv);
  const profileName = params.profile ?? session?.profile ?? fileEnv.MOCO_PROFILE ?? DEFAULT_PROFILE;
  const profile = await loadProfile(profileName, { workingDir, env: fileEnv, bundledDir: defaults.bundledProfilesDir, knownTools: BASE_TOOL_NAMES });
  const stored = session ? splitSessionModel(session.model) : undefined;
  const { env, selection } = await prepareRunEnv({
    env: fileEnv,
    selection: {
      ...(params.provider ? { provider: params.provider } : stored ? { provider: stored.provider } : {}),
      ...(params.model ? { model: params.model } : !params.provider && stored?.model ? { model: stored.model } : {}),
    },
    ...(params.baseURL ? { baseURL: params.baseURL } : {}),
    ...(defaults.credentials ? { credentials: defaults.credentials } : {}),
  });
  const resolved = resolveProvider(selection, env, { surface: defaults.surface ?? 'cli' });
  const { agentName, task } = splitAgentPrefix(params.text);
  if (task === '') throw new MocoError(MocoErrorCodes.InvalidRequest, 'The message is empty: write a task for the agents.');
  const agent = findAgent(profile, agentName ?? profile.entryAgent);
  const projectMemory = await readProjectMemory(workingDir);
  return {
    ...(session ? { session } : {}),
    workingDir,
    env,
    profile,
    providerId: resolved.id,
    model: resolved.model,
    agent,
    task,
    ...(projectMemory ? { projectMemory } : {}),
    ...(params.baseURL ? { baseURL: params.baseURL } : {}),
  };
}
