/**
 * The few parts of the built-in Git extension's API (`vscode.git`, `exports.getAPI(1)`) that MOCO
 * uses: the open repositories, their root folder and their SCM input box. Our own declaration of
 * that public API, narrowed to what we read and write; the extension itself is reached only
 * through {@link openGitApi}. Pure (`vscode` is imported for types only), unit-tested with fakes.
 */
import type * as vscode from 'vscode';

/** The id of VS Code's built-in Git extension. */
export const GitExtensionId = 'vscode.git';

/** `Repository.inputBox` of the Git API: the repository's SCM input box (the commit message). */
export interface GitInputBox {
  value: string;
}

/** A repository of the Git API (`Repository`), narrowed. */
export interface GitRepository {
  /** The repository's root folder (its work tree). */
  readonly rootUri: vscode.Uri;
  readonly inputBox: GitInputBox;
}

/** `API.state`: `initialized` once the Git extension has looked for the workspace's repositories. */
export type GitApiState = 'uninitialized' | 'initialized';

/** The Git API, version 1, narrowed. */
export interface GitApi {
  readonly state: GitApiState;
  readonly onDidChangeState: vscode.Event<GitApiState>;
  readonly repositories: readonly GitRepository[];
}

/** The Git extension's `exports`, narrowed. */
export interface GitExtensionExports {
  /** False when the setting `git.enabled` is false; `getAPI` then throws. */
  readonly enabled: boolean;
  getAPI(version: 1): GitApi;
}

/** The parts of `vscode.Extension<GitExtensionExports>` this module uses. */
export interface GitExtensionHandle {
  readonly isActive: boolean;
  readonly exports: GitExtensionExports | undefined;
  activate(): Thenable<GitExtensionExports | undefined>;
}

/** How long, in ms, to wait for the Git extension to find the workspace's repositories. */
export const gitInitTimeoutMs = 15_000;

/** The Git extension cannot give MOCO a repository. The message says what to do. */
export class GitUnavailableError extends Error {
  override readonly name = 'GitUnavailableError';
}

/**
 * Messages of {@link GitUnavailableError}, one per cause, each saying what to do.
 */
export const GitUnavailableMessages = {
  missing:
    'The built-in Git extension (vscode.git) is disabled or missing, so MOCO cannot find the repository. Enable "Git" in the Extensions view (search @builtin git), then try again.',
  disabled: 'Git is turned off in VS Code (the setting git.enabled is false). Turn it on, then try again.',
  noRepository:
    'Open a folder with a git repository (or run "Git: Initialize Repository" in this one), then try again: MOCO found no repository in the Source Control view.',
} as const;

/**
 * The Git API with its repositories found: activates the Git extension if needed, and waits (at
 * most {@link gitInitTimeoutMs}) until it has looked for the workspace's repositories.
 *
 * @param extension `vscode.extensions.getExtension(GitExtensionId)`: `undefined` when the Git
 *   extension is disabled or not installed.
 * @returns the API and its repositories (at least one).
 * @throws {GitUnavailableError} when the extension is missing or disabled, `git.enabled` is false,
 *   or no repository is open.
 */
export async function openGitApi(extension: GitExtensionHandle | undefined): Promise<{ api: GitApi; repositories: readonly GitRepository[] }> {
  if (!extension) throw new GitUnavailableError(GitUnavailableMessages.missing);
  const exports = extension.isActive ? extension.exports : await extension.activate();
  if (!exports) throw new GitUnavailableError(GitUnavailableMessages.missing);
  if (!exports.enabled) throw new GitUnavailableError(GitUnavailableMessages.disabled);
  const api = exports.getAPI(1);
  await whenInitialized(api);
  if (api.repositories.length === 0) throw new GitUnavailableError(GitUnavailableMessages.noRepository);
  return { api, repositories: api.repositories };
}

/** Resolves once `api.state` is `initialized`, or after {@link gitInitTimeoutMs}. */
function whenInitialized(api: GitApi): Promise<void> {
  if (api.state === 'initialized') return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      subscription.dispose();
      resolve();
    };
    const timer = setTimeout(done, gitInitTimeoutMs);
    const subscription = api.onDidChangeState((state) => {
      if (state === 'initialized') done();
    });
  });
}
