/**
 * Entry of `dist/engine.js`: the engine with everything it needs (the `openai` SDK, zod, the YAML
 * parser, the tools...), bundled apart from `dist/server.js` so that the server starts without
 * compiling it. The server loads it on the first request that needs the engine.
 */
import type { Connection } from 'vscode-languageserver/node';
import { createLmBridgeProvider, type LmChatFunction } from '../providers/lmBridgeProvider';
import { createEditorSymbolService, editorSymbolRequester } from '../symbols';
import type { SymbolService } from '../tools/services';
import { MocoEngine, type EngineOptions } from './engine';
import { defaultProviderFactory, type ProviderFactory } from './modelResolver';

export { TaskService, type TaskNotifier } from '../tasks/taskService';
export { runReview } from '../review/runReview';
export { writeCommitMessage } from '../git/commitMessage';
export { buildCommitPrompt } from '../git/commitPrompt';
export { createPullRequest } from '../github/createPullRequest';

/**
 * Opens the engine on its database.
 * @throws {StorageError} when the database cannot be opened.
 */
export function openEngine(options: EngineOptions): MocoEngine {
  return MocoEngine.open(options);
}

/**
 * The providers of a server that an editor started: `vscode-lm` calls the editor's language
 * models through `chat` (an `lm/chat` request); every other provider is the default one.
 */
export function editorProviderFactory(chat: LmChatFunction): ProviderFactory {
  return (resolved, retry) => (resolved.id === 'vscode-lm' ? createLmBridgeProvider(chat) : defaultProviderFactory(resolved, retry));
}

/**
 * Symbol search through the editor's language servers (`editor/definitions`, `editor/references`),
 * with the tree-sitter search when the editor cannot answer.
 */
export function editorSymbols(editor: Pick<Connection, 'sendRequest'>): (workingDir: string) => SymbolService {
  const requester = editorSymbolRequester(editor);
  return (workingDir) => createEditorSymbolService(requester, workingDir);
}
