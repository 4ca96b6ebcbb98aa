/**
 * The client's answers to the server's tool requests that only the editor can give:
 * `editor/definitions` and `editor/references` (VS Code's language servers), and where VS Code's
 * own `rg` is (ripgrepPath.ts, passed to the server by the caller).
 */
import type * as vscode from 'vscode';
import { EditorDefinitionsRequest, EditorReferencesRequest } from '../../../protocol/editor';
import type { ServerController } from '../languageClient';
import { answerSymbolRequest } from './symbolRequests';

export { bundledRipgrepPath } from './ripgrepPath';

/** Registers the `editor/definitions` and `editor/references` handlers (on every server the controller starts). */
export function registerEditorToolRequests(controller: ServerController): vscode.Disposable {
  const registrations = [
    controller.onRequest(EditorDefinitionsRequest, (params, token) => answerSymbolRequest('definitions', params, token)),
    controller.onRequest(EditorReferencesRequest, (params, token) => answerSymbolRequest('references', params, token)),
  ];
  return {
    dispose: () => {
      for (const registration of registrations) registration.dispose();
    },
  };
}
