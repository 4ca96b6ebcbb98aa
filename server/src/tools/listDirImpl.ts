/** `list_dir`: one folder's entries with type and size, folders first. Lists everything (no .gitignore). */
import { lstat, readdir } from 'node:fs/promises';
import * as path from 'node:path';
import type { listDirParameters } from './dirTools';
import { openFolder } from './folderAccess';
import { formatBytes, LIST_MAX_ENTRIES, plural } from './limits';
import { okResult } from './results';
import type { ToolImplementation } from './types';
import { sortEntries } from './walk';

/**
 * Implementation of `list_dir {path}`. One line per entry: type, size (files only) and name, a
 * `/` after folder names, for example `file     2.1 KiB  package.json`.
 */
export const listDirImplementation: ToolImplementation<typeof listDirParameters> = async (args, context, signal) => {
  const opened = await openFolder(context.workingDir, args.path);
  if (!opened.ok) return opened.result;
  const { folder } = opened;
  const dirents = await readdir(folder.real, { withFileTypes: true });
  signal.throwIfAborted();
  const entries = sortEntries(
    dirents.map((dirent) => ({
      name: dirent.name,
      kind: dirent.isDirectory() ? 'dir' : dirent.isFile() ? 'file' : dirent.isSymbolicLink() ? 'symlink' : 'other',
    })),
  );
  const shown = entries.slice(0, LIST_MAX_ENTRIES);
  const sizes = await Promise.all(
    shown.map(async (entry) => (entry.kind === 'file' ? lstat(path.join(folder.real, entry.name)).then((s) => s.size, () => undefined) : undefined)),
  );
  const lines = shown.map((entry, index) => {
    const size = sizes[index];
    return `${entry.kind.padEnd(7)} ${(size === undefined ? '-' : formatBytes(size)).padStart(10)}  ${entry.name}${entry.kind === 'dir' ? '/' : ''}`;
  });
  if (entries.length === 0) return okResult(`(${folder.display} is empty)`, `listed empty folder ${folder.display}`);
  let content = `${folder.display}:\n${lines.join('\n')}`;
  if (entries.length > shown.length) {
    content +=
      `\n\n[Truncated: showed ${shown.length} of ${entries.length} entries. ` +
      'Use glob_search with a pattern (for example "<folder>/*.ts") to find specific entries.]';
  }
  return okResult(content, `listed ${plural(entries.length, 'entry', 'entries')} in ${folder.display}`);
};
