/**
 * MOCO's settings as values, and the fields of `chat/send` and `tasks/run` they give. Pure (no
 * `vscode`): settings.ts reads them from the configuration.
 */
import type { ChatSendParams } from '../../protocol/run';

/** The MOCO settings that shape a run (protocol/ids.ts `SettingIds`). */
export interface MocoSettings {
  /** `moco.provider.id`: `auto` or one of `ProviderIds`. */
  providerId: string;
  /** `moco.provider.model`; `''` for the provider's default. For `vscode-lm`: the model's id. */
  model: string;
  /** `moco.provider.baseUrl`; `''` for the provider's default. */
  baseUrl: string;
  /** `moco.profile.name`; `''` for `MOCO_PROFILE`, then `default`. */
  profile: string;
  /** `moco.chat.showThinking`. */
  showThinking: boolean;
}

/** The fields of `chat/send` (and `tasks/run`) that come from the settings and the workspace. */
export type RunSettingsFields = Pick<ChatSendParams, 'profile' | 'provider' | 'model' | 'baseURL' | 'workingDir'>;

/**
 * The run fields the settings give:
 * - `auto` leaves the provider, the model and the base URL to the server (MOCO's selection from
 *   the configured keys);
 * - another provider is sent as `provider`, with `model` when one is set, and `baseURL` when one
 *   is set (`vscode-lm` has no base URL: its model is the `vscode.lm` model id);
 * - `profile` when one is set;
 * - `workingDir`: the `/cd` override when given, else the first workspace folder, else absent.
 */
export function runSettingsFields(settings: MocoSettings, workspaceFolder: string | undefined, workingDirOverride?: string): RunSettingsFields {
  const fields: RunSettingsFields = {};
  const profile = settings.profile.trim();
  if (profile) fields.profile = profile;
  const provider = settings.providerId.trim();
  if (provider && provider !== 'auto') {
    fields.provider = provider;
    const model = settings.model.trim();
    if (model) fields.model = model;
    const baseURL = settings.baseUrl.trim();
    if (baseURL && provider !== 'vscode-lm') fields.baseURL = baseURL;
  }
  const workingDir = workingDirOverride ?? workspaceFolder;
  if (workingDir) fields.workingDir = workingDir;
  return fields;
}

/** `auto`, `zai`, `zai/glm-4.7` or `vscode-lm/copilot-gpt-4o`: the model as the chat shows it. */
export function modelLabel(settings: MocoSettings): string {
  const provider = settings.providerId.trim() || 'auto';
  if (provider === 'auto') return 'auto';
  const model = settings.model.trim();
  return model ? `${provider}/${model}` : provider;
}
