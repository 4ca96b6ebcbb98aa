/**
 * The CLI's side of the tools: the sandbox from `--sandbox` / `--sandbox-image`, the command
 * policy's default for unknown commands (a prompt on a terminal, deny otherwise, allow with
 * `--yes`, or the `--policy` file's `default`), the file's rules, and the editor's settings when
 * the editor started this process as a background task (`MOCO_TOOL_SETTINGS`).
 */
import { z } from 'zod';
import { DEFAULT_TOOL_SETTINGS, type ToolSettings } from '../../../protocol/settings';
import type { EngineSettings } from '../engine/engine';
import type { ToolLog } from '../engine/toolHost';
import { loadPolicyFile } from '../policy';
import type { RunFlags } from './cliContext';

/** The variable a background task's settings come in (taskService.ts sets it). */
export const TOOL_SETTINGS_VARIABLE = 'MOCO_TOOL_SETTINGS';

const decision = z.enum(['allow', 'ask', 'deny']);
const toolSettingsSchema = z.object({
  sandbox: z.object({
    mode: z.enum(['auto', 'docker', 'bubblewrap', 'none']),
    image: z.string(),
    network: z.boolean(),
    cpus: z.number().positive(),
    memoryMb: z.number().positive(),
    timeoutSeconds: z.number().positive(),
  }),
  policyRules: z.record(z.string(), decision),
  web: z.object({ allowPrivateAddresses: z.boolean(), searchUrl: z.string() }),
  // Absent in settings written before the git settings existed (a task started by an older client).
  git: z.object({ commitLanguage: z.string(), githubApiUrl: z.string() }).default({ commitLanguage: '', githubApiUrl: '' }),
  ripgrepPath: z.string().optional(),
});

/**
 * The tool settings of this process: `MOCO_TOOL_SETTINGS` (JSON, from the editor) or the
 * defaults with `MOCO_WEBSEARCH_URL`, then the flags on top.
 * @throws {Error} when `MOCO_TOOL_SETTINGS` is not valid (it names the variable and the problem).
 */
export function cliToolSettings(flags: Pick<RunFlags, 'sandbox' | 'sandboxImage'>, env: NodeJS.ProcessEnv): ToolSettings {
  let settings: ToolSettings = structuredClone(DEFAULT_TOOL_SETTINGS);
  const given = env[TOOL_SETTINGS_VARIABLE];
  if (given) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(given);
    } catch (error) {
      throw new Error(`${TOOL_SETTINGS_VARIABLE} is not JSON (${(error as Error).message}); unset it to use the defaults.`, { cause: error });
    }
    const checked = toolSettingsSchema.safeParse(parsed);
    if (!checked.success) throw new Error(`${TOOL_SETTINGS_VARIABLE} does not hold tool settings (${checked.error.issues[0]?.message ?? 'invalid'}); unset it to use the defaults.`);
    settings = checked.data;
  } else {
    if (env.MOCO_WEBSEARCH_URL) settings.web.searchUrl = env.MOCO_WEBSEARCH_URL;
    if (env.MOCO_COMMIT_LANGUAGE) settings.git.commitLanguage = env.MOCO_COMMIT_LANGUAGE;
    if (env.GITHUB_API_URL) settings.git.githubApiUrl = env.GITHUB_API_URL;
  }
  if (flags.sandbox) settings.sandbox.mode = flags.sandbox;
  if (flags.sandboxImage) settings.sandbox.image = flags.sandboxImage;
  return settings;
}

/**
 * The engine's tool options for the CLI.
 * @param isTTY whether a person can answer a prompt (stdin and stdout are terminals).
 * @throws {PolicyRuleError} for a `--policy` file that cannot be used; the errors of {@link cliToolSettings}.
 */
export async function cliToolOptions(
  flags: Pick<RunFlags, 'sandbox' | 'sandboxImage' | 'policy' | 'yes'>,
  env: NodeJS.ProcessEnv,
  isTTY: boolean,
  log: ToolLog,
): Promise<Pick<EngineSettings, 'toolSettings' | 'unknownCommands' | 'policyFile' | 'log'>> {
  const settings = cliToolSettings(flags, env);
  const policyFile = flags.policy ? await loadPolicyFile(flags.policy) : undefined;
  return {
    toolSettings: () => Promise.resolve(settings),
    unknownCommands: flags.yes === true ? 'allow' : isTTY ? 'ask' : 'deny',
    ...(policyFile ? { policyFile } : {}),
    log,
  };
}
