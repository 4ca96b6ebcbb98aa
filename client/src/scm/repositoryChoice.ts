/**
 * Which repository a git command works on: the one whose Source Control title button was pressed,
 * else the only one, else the one holding the active editor's file, else the user picks. Pure (no
 * `vscode`), unit-tested.
 */
import * as path from 'node:path';

/** A repository as far as the choice is concerned: its root folder. */
export interface RootedRepository {
  readonly rootUri: { readonly fsPath: string };
}

/** The outcome of {@link chooseRepository}. */
export type RepositoryChoice<R> =
  | { kind: 'chosen'; repository: R }
  /** Several repositories and nothing to tell them apart: ask the user, in this order. */
  | { kind: 'pick'; repositories: R[] };

/** What a command knows when it runs. */
export interface ChoiceContext {
  /**
   * The command's first argument: the `vscode.SourceControl` of the `scm/title` button (it has a
   * `rootUri`), a `vscode.Uri`, or nothing (palette, keybinding; and the title button when VS
   * Code passes no argument, microsoft/vscode#101631).
   */
  argument?: unknown;
  /** `fsPath` of the active editor's file, when it is a file. */
  activeFile?: string;
}

/**
 * Chooses the repository:
 * 1. the one whose root is the argument's `rootUri` (or the argument, for a `Uri`);
 * 2. the only one;
 * 3. the innermost one holding the active editor's file (a submodule before its parent);
 * 4. otherwise the user picks among all, sorted by path.
 */
export function chooseRepository<R extends RootedRepository>(repositories: readonly R[], context: ChoiceContext): RepositoryChoice<R> {
  const argumentRoot = rootOf(context.argument);
  if (argumentRoot !== undefined) {
    const match = repositories.find((r) => samePath(r.rootUri.fsPath, argumentRoot));
    if (match) return { kind: 'chosen', repository: match };
  }
  const [only, ...others] = repositories;
  if (only !== undefined && others.length === 0) return { kind: 'chosen', repository: only };
  const file = context.activeFile;
  if (file !== undefined) {
    const holding = repositories.filter((r) => contains(r.rootUri.fsPath, file));
    const innermost = holding.sort((a, b) => b.rootUri.fsPath.length - a.rootUri.fsPath.length)[0];
    if (innermost !== undefined) return { kind: 'chosen', repository: innermost };
  }
  const sorted = [...repositories].sort((a, b) => a.rootUri.fsPath.localeCompare(b.rootUri.fsPath));
  return { kind: 'pick', repositories: sorted };
}

/** A quick pick item for a repository: its folder's name, and its path beside it. */
export function repositoryPickItem<R extends RootedRepository>(repository: R): { label: string; description: string; repository: R } {
  const root = repository.rootUri.fsPath;
  return { label: path.basename(root) || root, description: root, repository };
}

/** The folder an argument names: a `SourceControl`'s `rootUri`, or a `Uri`'s own path. */
function rootOf(argument: unknown): string | undefined {
  if (typeof argument !== 'object' || argument === null) return undefined;
  const { rootUri, fsPath } = argument as { rootUri?: { fsPath?: unknown }; fsPath?: unknown };
  if (typeof rootUri?.fsPath === 'string') return rootUri.fsPath;
  return typeof fsPath === 'string' ? fsPath : undefined;
}

function samePath(a: string, b: string): boolean {
  return path.relative(a, b) === '';
}

/** Whether `file` is inside the folder `root` (or is it). */
function contains(root: string, file: string): boolean {
  const relative = path.relative(root, file);
  const outside = relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative);
  return !outside;
}
