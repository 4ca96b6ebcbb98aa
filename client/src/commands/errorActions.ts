/**
 * Which commands fix an error, by its `MocoErrorCodes` code: the buttons of error notifications
 * and of the chat's error banners. Pure (no `vscode`), unit-tested.
 */
import { MocoErrorCodes } from '../../../protocol/errors';
import { CommandIds } from '../../../protocol/ids';
import type { BannerAction } from '../../../protocol/webview';

/**
 * LSP's `RequestCancelled` error code (`LSPErrorCodes.RequestCancelled` of
 * vscode-languageserver-protocol): the answer to a cancelled request. Not an error to show.
 */
export const REQUEST_CANCELLED = -32800;

const setApiKey: BannerAction = { label: 'Set API Key', command: CommandIds.setApiKey };
const selectModel: BannerAction = { label: 'Select Provider and Model', command: CommandIds.selectProviderAndModel };
const selectProfile: BannerAction = { label: 'Select Profile', command: CommandIds.selectProfile };
const showLogs: BannerAction = { label: 'Show Logs', command: CommandIds.showLogs };

/**
 * The fixes for an error, the most likely first:
 * - `ProviderNotConfigured` (no key, no provider): Set API Key, then Select Provider and Model;
 * - `ModelUnsuitable`, `ProviderRejected` (bad model name or key): Select Provider and Model,
 *   then Set API Key for a rejection;
 * - `ProfileNotFound`, `ProfileInvalid`, `UnknownAgent`: Select Profile;
 * - anything else (or no code): Show Logs.
 *
 * @param code the `code` of a JSON-RPC `ResponseError` or of a `RunError`.
 */
export function errorActions(code: number | undefined): BannerAction[] {
  switch (code) {
    case MocoErrorCodes.ProviderNotConfigured:
      return [setApiKey, selectModel];
    case MocoErrorCodes.ModelUnsuitable:
      return [selectModel];
    case MocoErrorCodes.ProviderRejected:
      return [selectModel, setApiKey];
    case MocoErrorCodes.ProviderUnavailable:
      return [selectModel, showLogs];
    case MocoErrorCodes.ProfileNotFound:
    case MocoErrorCodes.ProfileInvalid:
    case MocoErrorCodes.UnknownAgent:
      return [selectProfile, showLogs];
    default:
      return [showLogs];
  }
}

/** The numeric `code` of a thrown `ResponseError` (or anything with one), else `undefined`. */
export function errorCode(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code } = error as { code?: unknown };
  return typeof code === 'number' ? code : undefined;
}
