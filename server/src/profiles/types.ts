/**
 * The loaded shape of a profile: a team of agents in MOCO's format (`profiles/<name>/profile.yaml`,
 * `agents/<agent>.md`, `skills/...`), as the orchestrator uses it. Field names are camelCase here;
 * the files use MOCO's snake_case keys (see `schema.ts`).
 */
import type { ProfileSource } from '../../../protocol/profiles';
import type { McpToolGrants } from './tools';

/** MOCO's agent modes. `primary` and `chat` agents can take a user's message; `subagent`s are delegated to. */
export type AgentMode = 'primary' | 'chat' | 'subagent';

/** One agent, from `agents/<name>.md`. */
export interface AgentConfig {
  /** The file name without `.md`; matched case-insensitively by {@link findAgent}. */
  name: string;
  /** Front-matter `description` (what the orchestrator reads to choose the agent); `''` when absent. */
  description: string;
  /** Front-matter `mode`; when absent, `primary` for an agent named `orchestrator`, else `subagent`. */
  mode: AgentMode;
  /** The Markdown body, trimmed. `{{CURRENT_DATETIME}}` is still in it: see `renderSystemPrompt`. */
  systemPrompt: string;
  /** The tools the agent may call, resolved (`"*"` expanded) and limited to the tools this project has. */
  tools: string[];
  /** Tools the file asks for that this project does not have (yet): the agent runs without them. */
  unavailableTools: string[];
  /** The MCP tools `tools:` names or refuses, resolved against the connected servers at run time. */
  mcpTools: McpToolGrants;
  /** Front-matter `model`, `provider/model` (for example `zai/glm-4.7`). */
  model?: string;
  /** Front-matter `temperature`, 0..2. */
  temperature?: number;
  /** Front-matter `max_turns`: this agent's cap on model calls per run, overriding the profile's. */
  maxTurns?: number;
  /** Absolute path of the agent's `.md` file. */
  file: string;
}

/** The profile's `orchestrator:` section (our addition to MOCO's format), with defaults filled in. */
export interface OrchestratorConfig {
  /** Delegations that run at once in one run tree (`max_parallel_tasks`, default 5). */
  maxParallelTasks: number;
  /** Provider and MCP call retries (`retry.attempts` default 3, `retry.base_delay_ms` default 200 ms). */
  retry: { attempts: number; baseDelayMs: number };
  /** Tool calls one model turn may make (`max_tool_calls_per_turn`, default 20). */
  maxToolCallsPerTurn: number;
  /** Model calls one agent run may make (`max_turns`, default 50). */
  maxTurns: number;
  /** Caps for a whole run tree: tokens (input + output) and USD. Absent = no cap. */
  budget: { maxTokens?: number; maxCostUsd?: number };
  /** Characters of input one model call may carry (`max_input_chars`, default 400000). */
  maxInputChars: number;
  /** Output tokens per model call (`max_output_tokens`); absent = the provider's default. */
  maxOutputTokens?: number;
}

/**
 * An MCP server of `mcp_servers`: a stdio process, a remote server by URL, or a name alone, which
 * gives the profile's agents a server configured in the workspace (`.vscode/mcp.json`, `.mcp.json`).
 */
export type McpServerConfig =
  | { name: string; command: string; args: string[]; env: Record<string, string> }
  | { name: string; url: string }
  | { name: string };

/** A command policy rule of the profile's `policy.rules`: a command prefix with globs → decision. */
export type ProfilePolicyRules = Record<string, 'allow' | 'ask' | 'deny'>;

/** A skill's metadata and text: `skills/<name>/SKILL.md` (Claude/MOCO format) or MOCO's flat `skills/<name>.md`. */
export interface SkillConfig {
  /** Front-matter `name`, else the folder name (`<name>/SKILL.md`) or the file name (`<name>.md`). */
  name: string;
  /** Front-matter `description`, else the first Markdown heading of the body, else `''`. */
  description: string;
  /** Front-matter `triggers`: keywords that suggest the skill (a single string becomes a list of one). */
  triggers: string[];
  /** Front-matter `allowed-tools` (or `allowed_tools`): tool names, when the skill restricts them. */
  allowedTools?: string[];
  /** Absolute path of the skill's file. */
  file: string;
  /** The Markdown body, trimmed. */
  body: string;
}

/** A loaded profile. */
export interface Profile {
  /** The profile's folder name (what `--profile` takes). */
  name: string;
  /** `description` of `profile.yaml`; `''` when absent. */
  description: string;
  /** Which search directory it came from. */
  source: ProfileSource;
  /** Absolute path of the profile's folder. */
  path: string;
  /** `include_base_tools` (default true): whether agents get this project's base tools. */
  includeBaseTools: boolean;
  mcpServers: McpServerConfig[];
  orchestrator: OrchestratorConfig;
  /** `policy.rules` (our addition): command policy rules for every agent of the profile. */
  policyRules: ProfilePolicyRules;
  /** Sorted by name. Never empty. */
  agents: AgentConfig[];
  /** The agent a user message goes to: `orchestrator` if present, else the first primary, else the first agent. */
  entryAgent: string;
  /** Sorted by name. */
  skills: SkillConfig[];
  /** Problems that did not stop loading, each naming its file (and line when known). */
  warnings: string[];
}

/** Where to look for profiles, and what this project can offer their agents. */
export interface ProfileSearch {
  /** The workspace; `<workingDir>/.moco/profiles` is searched second. */
  workingDir?: string;
  /** Environment; `MOCO_PROFILES_DIR` is searched first (a relative path is taken from the process's cwd). */
  env: Record<string, string | undefined>;
  /** Absolute path of the bundled `profiles/` folder, searched last. */
  bundledDir: string;
  /** The tool names this project implements, for example `read_file` ... `delegate_to_agent`. */
  knownTools: readonly string[];
}
