/**
 * Tree-sitter for the server, from `@vscode/tree-sitter-wasm` (the grammars VS Code itself ships):
 * `bash` for the command policy, and the programming languages for the CLI's symbol search. The
 * runtime and each grammar are WebAssembly files: in the bundle they sit in `dist/tree-sitter/`
 * (copied by esbuild.config.mjs); from source (tests, tsx) they are read from node_modules.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { Language, Parser } from '@vscode/tree-sitter-wasm';

export type { Language, Node, Parser, Tree } from '@vscode/tree-sitter-wasm';

/** Grammars bundled with MOCO: the name of `tree-sitter-<name>.wasm`. */
export type GrammarName = 'bash' | 'typescript' | 'tsx' | 'javascript' | 'python' | 'go' | 'rust' | 'java';

/** Grammars copied into `dist/tree-sitter/` (esbuild.config.mjs reads this list). */
export const BUNDLED_GRAMMARS: readonly GrammarName[] = ['bash', 'typescript', 'tsx', 'javascript', 'python', 'go', 'rust', 'java'];

let initialised: Promise<void> | undefined;
const languages = new Map<GrammarName, Promise<Language>>();

/**
 * The folder of the `.wasm` files: `dist/tree-sitter` next to the bundle, else the package's
 * `wasm/` folder in node_modules.
 * @throws {Error} naming both places when neither exists (a broken install).
 */
export function wasmDirectory(): string {
  const bundled = path.join(__dirname, 'tree-sitter');
  if (existsSync(path.join(bundled, 'tree-sitter.wasm'))) return bundled;
  const fromPackage = path.dirname(createRequire(__filename).resolve('@vscode/tree-sitter-wasm/wasm/tree-sitter.wasm'));
  if (existsSync(path.join(fromPackage, 'tree-sitter.wasm'))) return fromPackage;
  throw new Error(`tree-sitter.wasm is missing from ${bundled} and ${fromPackage}; reinstall MOCO.`);
}

/**
 * A grammar, loaded once per process (about 5–20 ms the first time). Shared by every caller:
 * `Language` objects are immutable.
 * @throws {Error} when the runtime or the grammar's `.wasm` cannot be loaded.
 */
export function loadLanguage(name: GrammarName): Promise<Language> {
  let language = languages.get(name);
  if (!language) {
    const dir = wasmDirectory();
    initialised ??= Parser.init({ locateFile: (file: string) => path.join(dir, file) });
    language = initialised.then(() => Language.load(path.join(dir, `tree-sitter-${name}.wasm`)));
    // A failed load is not cached, so that a later call can try again.
    language.catch(() => languages.delete(name));
    languages.set(name, language);
  }
  return language;
}

/**
 * A new parser for a grammar. Parsers hold state between parses; give each caller its own.
 * Trees it returns must be `delete()`d when done (WebAssembly memory is not garbage-collected).
 */
export async function createParser(name: GrammarName): Promise<Parser> {
  const language = await loadLanguage(name); // initialises the runtime first
  const parser = new Parser();
  parser.setLanguage(language);
  return parser;
}
