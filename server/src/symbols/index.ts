/**
 * Symbol search for `find_definition` and `find_references`: VS Code's providers through the
 * client in the editor (editorSymbols.ts), a tree-sitter search in the CLI (treeSitterSymbols.ts).
 */
export { createEditorSymbolService, editorSymbolRequester, EDITOR_SOURCE, EDITOR_SYMBOL_TIMEOUT_MS } from './editorSymbols';
export type { EditorSymbolOptions, EditorSymbolRequester, EditorSymbolRequestType } from './editorSymbols';
export { createTreeSitterSymbolService, TREE_SITTER_LIMITS, TREE_SITTER_SOURCE } from './treeSitterSymbols';
export type { TreeSitterLimits } from './treeSitterSymbols';
export { notesOf, sourceOf, withNotes } from './locations';
export type { SymbolLocations } from './locations';
