/**
 * Loads `profile.yaml`: `name`, `description`, `include_base_tools`, `mcp_servers` (MOCO's keys) and
 * our `orchestrator:` and `policy:` sections, with defaults filled in.
 */
import { readFile } from 'node:fs/promises';
import { ProfileError } from './errors';
import { profileFileHints, profileFileSchema } from './schema';
import type { McpServerConfig, OrchestratorConfig, ProfilePolicyRules } from './types';
import { unknownKeyWarning, validateYaml } from './validate';
import { lineOfKey, parseYaml } from './yamlLocation';

/** The checked content of `profile.yaml`. */
export interface ProfileFile {
  description: string;
  includeBaseTools: boolean;
  mcpServers: McpServerConfig[];
  orchestrator: OrchestratorConfig;
  policyRules: ProfilePolicyRules;
  /** Unknown keys, and a `name:` that differs from the folder name. */
  warnings: string[];
}

/**
 * @param file absolute path of `profile.yaml`.
 * @param folderName the profile's folder name, which is its name; a different `name:` is a warning.
 * @throws {ProfileError} when the file is missing, has a YAML syntax error or a value of the wrong kind.
 */
export async function loadProfileFile(file: string, folderName: string): Promise<ProfileFile> {
  const text = await readFile(file, 'utf8').catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new ProfileError(
        file,
        undefined,
        `the profile has no profile.yaml. Create it with, for example:\n    name: ${folderName}\n    description: What this team does`,
      );
    }
    throw error;
  });
  const yaml = parseYaml(text.startsWith('\uFEFF') ? text.slice(1) : text, file);
  const { value, unknownKeys } = validateYaml(profileFileSchema, yaml, profileFileHints, yaml.data ?? {});
  const warnings = unknownKeys.map((key) => unknownKeyWarning(file, key));
  if (value.name !== undefined && value.name !== folderName) {
    warnings.push(
      `${file}:${lineOfKey(yaml, [], 'name')}: name is "${value.name}" but the folder is "${folderName}"; ` +
        `the profile is called "${folderName}" (its folder name). Make them the same to avoid confusion.`,
    );
  }
  const o = value.orchestrator;
  const orchestrator: OrchestratorConfig = {
    maxParallelTasks: o.max_parallel_tasks,
    retry: { attempts: o.retry.attempts, baseDelayMs: o.retry.base_delay_ms },
    maxToolCallsPerTurn: o.max_tool_calls_per_turn,
    maxTurns: o.max_turns,
    budget: {
      ...(o.budget.max_tokens === undefined ? {} : { maxTokens: o.budget.max_tokens }),
      ...(o.budget.max_cost_usd === undefined ? {} : { maxCostUsd: o.budget.max_cost_usd }),
    },
    maxInputChars: o.max_input_chars,
    ...(o.max_output_tokens === undefined ? {} : { maxOutputTokens: o.max_output_tokens }),
  };
  return {
    description: value.description.trim(),
    includeBaseTools: value.include_base_tools,
    mcpServers: value.mcp_servers.map(toMcpServer),
    orchestrator,
    policyRules: value.policy.rules,
    warnings,
  };
}

function toMcpServer(server: {
  name: string;
  command?: string;
  args?: string[];
  env?: Record<string, string>;
  url?: string;
}): McpServerConfig {
  if (server.url !== undefined) return { name: server.name, url: server.url };
  if (server.command === undefined) return { name: server.name };
  return { name: server.name, command: server.command ?? '', args: server.args ?? [], env: server.env ?? {} };
}
