/**
 * The tool settings (`moco.sandbox.*`, `moco.policy.rules`, `moco.web.*`) as the server's
 * `settings/get` answer: values of the wrong type fall back to their defaults, so that a typo in
 * settings.json gives the default rather than a broken run. Pure (no `vscode`).
 */
import { SettingIds } from '../../protocol/ids';
import { DEFAULT_TOOL_SETTINGS, type PolicyDecisionSetting, type SandboxModeSetting, type ToolSettings } from '../../protocol/settings';

const MODES: readonly SandboxModeSetting[] = ['auto', 'docker', 'bubblewrap', 'none'];
const DECISIONS: readonly PolicyDecisionSetting[] = ['allow', 'ask', 'deny'];

/** Reads one setting by its id (`SettingIds`). */
export type SettingReader = (id: string) => unknown;

/**
 * The tool settings from a reader of setting values.
 * @param ripgrepPath VS Code's `rg`, when found.
 * @param onInvalid told of each policy rule left out, in words for the user (a rule that silently
 *   vanished would leave a command allowed that the user meant to deny).
 */
export function toolSettingsFrom(read: SettingReader, ripgrepPath?: string, onInvalid?: (message: string) => void): ToolSettings {
  const defaults = DEFAULT_TOOL_SETTINGS;
  const mode = read(SettingIds.sandboxMode);
  const rules = read(SettingIds.policyRules);
  const policyRules: ToolSettings['policyRules'] = {};
  if (rules && typeof rules === 'object' && !Array.isArray(rules)) {
    for (const [pattern, decision] of Object.entries(rules as Record<string, unknown>)) {
      if (pattern.trim() !== '' && DECISIONS.includes(decision as PolicyDecisionSetting)) policyRules[pattern] = decision as PolicyDecisionSetting;
      else onInvalid?.(`${SettingIds.policyRules}: the rule ${JSON.stringify(pattern)}: ${JSON.stringify(decision)} is left out; write "allow", "ask" or "deny" (lower case) for a non-empty command prefix.`);
    }
  }
  return {
    sandbox: {
      mode: MODES.includes(mode as SandboxModeSetting) ? (mode as SandboxModeSetting) : defaults.sandbox.mode,
      image: text(read(SettingIds.sandboxImage)),
      network: read(SettingIds.sandboxNetwork) === true,
      cpus: positive(read(SettingIds.sandboxCpus), defaults.sandbox.cpus),
      memoryMb: positive(read(SettingIds.sandboxMemoryMb), defaults.sandbox.memoryMb),
      timeoutSeconds: positive(read(SettingIds.sandboxTimeoutSeconds), defaults.sandbox.timeoutSeconds),
    },
    policyRules,
    web: {
      allowPrivateAddresses: read(SettingIds.webAllowPrivateAddresses) === true,
      searchUrl: text(read(SettingIds.webSearchUrl)),
    },
    git: {
      commitLanguage: text(read(SettingIds.gitCommitLanguage)),
      githubApiUrl: text(read(SettingIds.githubApiUrl)),
    },
    ...(ripgrepPath ? { ripgrepPath } : {}),
  };
}

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

function positive(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;
}
