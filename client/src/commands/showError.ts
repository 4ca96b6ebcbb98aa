/** Shows an error notification with the buttons that fix it (errorActions.ts). */
import * as vscode from 'vscode';
import { errorMessage } from '../errorMessage';
import { REQUEST_CANCELLED, errorActions, errorCode } from './errorActions';

/**
 * Shows `error` as an error notification with its fixes as buttons, and runs the chosen one.
 * Cancellation (`vscode.CancellationError`, or a cancelled request) is not an error: nothing is shown.
 *
 * @param prefix words put before the error's message, for example `Could not start the task.`
 */
export async function showErrorWithActions(error: unknown, prefix?: string): Promise<void> {
  if (isCancellation(error)) return;
  const actions = errorActions(errorCode(error));
  const message = prefix ? `${prefix} ${errorMessage(error)}` : errorMessage(error);
  const choice = await vscode.window.showErrorMessage(message, ...actions.map((a) => a.label));
  const action = actions.find((a) => a.label === choice);
  if (action) await vscode.commands.executeCommand(action.command);
}

/** Whether an error is a cancellation: `vscode.CancellationError` or JSON-RPC's RequestCancelled (-32800). */
export function isCancellation(error: unknown): boolean {
  return error instanceof vscode.CancellationError || errorCode(error) === REQUEST_CANCELLED;
}
