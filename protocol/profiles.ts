/**
 * Profiles: teams of agents (`profiles/<name>/profile.yaml` and `agents/*.md`, MOCO's format).
 * One typed constant per message (CONVENTIONS.md §2).
 */
import { RequestType } from 'vscode-jsonrpc';

/** Where a profile was found, in search order. */
export type ProfileSource = 'env' | 'workspace' | 'bundled';

/** An agent of a profile, as listed. */
export interface AgentSummary {
  /** File name of `agents/<name>.md`, without `.md`. */
  name: string;
  description: string;
  /** MOCO's `mode`: `primary`, `chat` or `subagent`. */
  mode: 'primary' | 'chat' | 'subagent';
  /** `provider/model` from the front-matter, when the agent names its own model. */
  model?: string;
  /** The tools the agent can call in this project (after `"*"` expansion). */
  tools: string[];
}

/** A profile as listed. */
export interface ProfileSummary {
  name: string;
  description: string;
  source: ProfileSource;
  /** Absolute path of the profile's folder. */
  path: string;
  agents: AgentSummary[];
  /** The agent a user message goes to: `orchestrator` if there is one, else the first primary. */
  entryAgent: string;
  /** Problems that did not stop the profile from loading, e.g. tools this project lacks. */
  warnings: string[];
}

/** A profile that could not be loaded. */
export interface ProfileLoadError {
  /** Profile folder name. */
  name: string;
  /** Absolute path of the file at fault. */
  file: string;
  /** 1-based line, when known. */
  line?: number;
  /** What is wrong and what to write instead. */
  message: string;
}

/** Result of `profiles/list`. Profiles found earlier in the search order hide later ones. */
export interface ProfilesListResult {
  profiles: ProfileSummary[];
  errors: ProfileLoadError[];
}

/** `profiles/list` (client → server request). */
export const ProfilesListRequest = new RequestType<{ workingDir?: string }, ProfilesListResult, void>(
  'profiles/list',
);
