/**
 * Where a finding's file is, as plain values (pure: no `vscode`, unit-tested; workspacePaths.ts
 * applies it to the open workspace folders). A finding names its workspace folder by the folder's
 * `uri.toString()`, which two folders never share (names can be alike, and folders can be removed
 * or reordered), and its file by a path relative to that folder with `/` separators, as
 * `review/run` gives it.
 */

/** A workspace folder as the findings name it: `vscode.WorkspaceFolder`'s name and `uri.toString()`. */
export interface FolderRef {
  name: string;
  uri: string;
}

/** A file as the findings name it: its folder's `uri.toString()` and the path inside it. */
export interface FindingPlace {
  /** Absent only in findings that belong to no folder (none is stored so): never shown. */
  folder?: string;
  file: string;
}

/**
 * The open folder a finding's `folder` names, or `undefined` when that folder is not open (the
 * finding stays in the store, unshown, until the folder is opened again). Never another folder:
 * Apply Suggestion and Fix with Agent must not act on a different checkout.
 */
export function folderWithUri<F extends { uri: { toString(): string } }>(folder: string | undefined, folders: readonly F[]): F | undefined {
  return folder === undefined ? undefined : folders.find((candidate) => candidate.uri.toString() === folder);
}

/**
 * The `/`-separated segments of a finding's `file`, or `undefined` when it is not a path inside its
 * folder: absolute (`/etc/x`, `C:/x`), or with an empty, `.` or `..` segment (`..` between `\`s
 * too, which Windows reads as separators). `review/run` never gives such a path, but the store is
 * read back from the workspace state, which is a file on disk.
 */
export function fileSegments(file: string): string[] | undefined {
  if (file === '' || /^[A-Za-z]:/.test(file)) return undefined;
  const segments = file.split('/');
  if (segments.some((segment) => segment === '' || segment === '.' || segment === '..')) return undefined;
  if (file.split('\\').some((segment) => segment === '..' || segment === '.')) return undefined;
  return segments;
}

/** Whether `file` is `path` or inside the directory `path` (paths of the same folder). */
export function isAtOrUnder(file: string, path: string): boolean {
  return file === path || file.startsWith(`${path}/`);
}

/** A file or directory of an open workspace folder. */
export interface FolderPath {
  /** The folder's `uri.toString()`. */
  folder: string;
  /** Relative to it, `/`-separated. */
  file: string;
}

/**
 * The findings a rename of `from` to `to` (a file or a directory, `vscode.workspace.onDidRenameFiles`)
 * moves, with their new folder and path (`to/rest` for `from/rest`), and those it takes out of the
 * workspace (`to` undefined).
 */
export function renamedFindings<T extends FindingPlace>(findings: readonly T[], from: FolderPath, to: FolderPath | undefined): { changed: T[]; removed: T[] } {
  const touched = findings.filter((finding) => finding.folder === from.folder && isAtOrUnder(finding.file, from.file));
  if (!to) return { changed: [], removed: touched };
  return { changed: touched.map((finding) => ({ ...finding, folder: to.folder, file: `${to.file}${finding.file.slice(from.file.length)}` })), removed: [] };
}

/** The findings in a deleted file or directory (`vscode.workspace.onDidDeleteFiles`). */
export function deletedFindings<T extends FindingPlace>(findings: readonly T[], deleted: FolderPath): T[] {
  return findings.filter((finding) => finding.folder === deleted.folder && isAtOrUnder(finding.file, deleted.file));
}
