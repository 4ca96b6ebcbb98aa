/**
 * `file_info`: `lstat` of the path itself (so a symbolic link is reported as one), its target when
 * the link points inside the working directory, and for files a binary check (isbinaryfile) and a
 * line count. The parent folder is confined with workspacePath.ts; a link whose target lies
 * outside the working directory is reported as such, and its target is never examined.
 */
import { createReadStream } from 'node:fs';
import { lstat, readdir, readlink, realpath, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import * as path from 'node:path';
import { isBinaryFile } from 'isbinaryfile';
import type { fileInfoParameters } from './fileInfo';
import { formatBytes, plural } from './limits';
import { errorResult, okResult } from './results';
import type { ToolImplementation } from './types';
import { displayPath, isInside, resolveWorkspacePath } from './workspacePath';

/** Text files up to this size (bytes) have their lines counted; bigger ones say they were not. */
export const FILE_INFO_LINE_COUNT_MAX_BYTES = 16 * 1024 * 1024;

/** Implementation of `file_info {path}`. A missing path is not an error: the answer says it does not exist. */
export const fileInfoImplementation: ToolImplementation<typeof fileInfoParameters> = async (args, context, signal) => {
  const { workingDir } = context;
  const absolute = path.resolve(workingDir, args.path);
  if (!isInside(workingDir, absolute)) return errorResult(`path ${args.path} is outside the working directory ${workingDir}; use a path inside it`);
  const shown = displayPath(workingDir, absolute);
  // The parent is confined (symbolic links resolved); the entry itself is looked at with lstat.
  let entry = workingDir;
  if (absolute !== workingDir) {
    const parent = await resolveWorkspacePath(workingDir, path.dirname(absolute), { allowMissing: true });
    if (!parent.ok) return errorResult(parent.message);
    entry = path.join(parent.real, path.basename(absolute));
  }
  const stats = await lstat(entry).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
    throw error;
  });
  if (!stats) return okResult(`path: ${shown}\nexists: no`, `${shown} does not exist`);

  const lines = [`path: ${shown}`, 'exists: yes'];
  if (!stats.isSymbolicLink()) {
    lines.push(...(await describe(entry, stats, signal)));
    return okResult(lines.join('\n'), `${kindOf(stats)} ${shown}`);
  }
  const target = await readlink(entry);
  const resolved = await realpath(entry).catch(() => undefined);
  if (resolved === undefined) {
    lines.push(`type: symlink → ${target} (dangling: the target does not exist)`, ...ownLines(stats));
  } else if (!isInside(workingDir, resolved)) {
    lines.push(`type: symlink → ${target} (the target is outside the working directory, so it is not examined)`, ...ownLines(stats));
  } else {
    const targetStats = await stat(resolved);
    lines.push(`type: symlink → ${target} (${kindOf(targetStats)} ${displayPath(workingDir, resolved)}; what follows is the target's)`);
    lines.push(...(await describe(resolved, targetStats, signal)).filter((line) => !line.startsWith('type:')));
  }
  return okResult(lines.join('\n'), `symlink ${shown}`);
};

function kindOf(stats: Stats): string {
  if (stats.isFile()) return 'file';
  if (stats.isDirectory()) return 'dir';
  if (stats.isSymbolicLink()) return 'symlink';
  if (stats.isFIFO()) return 'fifo';
  if (stats.isSocket()) return 'socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'device';
  return 'other';
}

/** Modification time and permissions, for any entry. */
function ownLines(stats: Stats): string[] {
  const mode = stats.mode & 0o7777;
  return [`modified: ${stats.mtime.toISOString()}`, `permissions: ${mode.toString(8).padStart(4, '0')} (${symbolicMode(mode)})`];
}

/** `rwxr-xr-x` for 0o755 (the setuid, setgid and sticky bits are not drawn). */
function symbolicMode(mode: number): string {
  const letters = 'rwx';
  let text = '';
  for (let bit = 8; bit >= 0; bit--) text += mode & (1 << bit) ? letters[(8 - bit) % 3] : '-';
  return text;
}

/** The lines for a file, folder or other entry that is not a symbolic link. */
async function describe(file: string, stats: Stats, signal: AbortSignal): Promise<string[]> {
  const lines = [`type: ${kindOf(stats)}`];
  if (stats.isDirectory()) {
    const entries = await readdir(file).then(
      (names) => plural(names.length, 'entry', 'entries'),
      (error: Error) => `unreadable (${error.message})`,
    );
    lines.push(`entries: ${entries}`);
  } else if (stats.isFile()) {
    lines.push(`size: ${stats.size} bytes (${formatBytes(stats.size)})`);
    lines.push(`content: ${await contentOf(file, stats.size, signal)}`);
  }
  lines.push(...ownLines(stats));
  return lines;
}

/** `text, 42 lines`, `binary`, `empty`, or `text (lines not counted: larger than 16.0 MiB)`. */
async function contentOf(file: string, size: number, signal: AbortSignal): Promise<string> {
  if (size === 0) return 'empty';
  const binary = await isBinaryFile(file).catch(() => undefined);
  if (binary === undefined) return 'unreadable';
  if (binary) return 'binary';
  if (size > FILE_INFO_LINE_COUNT_MAX_BYTES) return `text (lines not counted: larger than ${formatBytes(FILE_INFO_LINE_COUNT_MAX_BYTES)})`;
  return `text, ${plural(await countLines(file, signal), 'line')}`;
}

/** Lines of a text file: its newlines, plus one for a last line without a newline. */
async function countLines(file: string, signal: AbortSignal): Promise<number> {
  let newlines = 0;
  let last = 0x0a;
  for await (const chunk of createReadStream(file, { signal }) as AsyncIterable<Buffer>) {
    for (let index = chunk.indexOf(0x0a); index !== -1; index = chunk.indexOf(0x0a, index + 1)) newlines++;
    if (chunk.length > 0) last = chunk[chunk.length - 1] ?? last;
  }
  return last === 0x0a ? newlines : newlines + 1;
}
