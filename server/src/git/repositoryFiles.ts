/**
 * Files of a repository that MOCO puts into a prompt (a commit template, a commitlint
 * configuration, a pull request template), read only when they are the repository's own: a
 * regular file inside its root, not in `.git/`, and, when reached through a symbolic link, one git
 * tracks. A repository may hold a link (`.gitmessage` → `~/.aws/credentials`, or → `.env`, which
 * the user creates after cloning and git ignores) that would otherwise pull a secret into the
 * prompt, and from there into a commit message.
 */
import { open, realpath, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { runGit } from './gitClient';

/** Why a file is not read. */
export type RefusedReason = 'missing' | 'outside' | 'untracked link' | 'not a file';

/** A file that may be read (its real path), or why not. */
export type ConfinedFile = { ok: true; file: string } | { ok: false; reason: RefusedReason };

/** What the user reads about a refused file: `<file> <this>, so MOCO did not read it.` */
export const REFUSED_WORDS: Record<Exclude<RefusedReason, 'missing'>, string> = {
  outside: 'is a link to a file outside the repository (or inside .git)',
  'untracked link': 'is a link to a file git does not track',
  'not a file': 'is not a regular file',
};

/**
 * Whether `file` (absolute, or relative to `root`) may be read as the repository's own.
 * @param root the repository's root (its working tree).
 * @param signal cancels the `git ls-files` that checks a link's target.
 */
export async function confinedFile(root: string, file: string, signal: AbortSignal): Promise<ConfinedFile> {
  const absolute = path.resolve(root, file);
  const real = await realpath(absolute).catch(() => undefined);
  if (real === undefined) return { ok: false, reason: 'missing' };
  const realRoot = await realpath(root).catch(() => root);
  const inside = path.relative(realRoot, real);
  if (inside === '' || inside.startsWith('..') || path.isAbsolute(inside) || inside.split(path.sep)[0]!.toLowerCase() === '.git') {
    return { ok: false, reason: 'outside' };
  }
  if (!(await stat(real).catch(() => undefined))?.isFile()) return { ok: false, reason: 'not a file' };
  const linked = path.relative(realRoot, path.resolve(realRoot, path.relative(root, absolute))) !== inside;
  if (linked) {
    const spec = `:(top,literal)${inside.split(path.sep).join('/')}`;
    // `--error-unmatch`: git complains (and exits 1) when the target is not tracked.
    const tracked = await runGit(realRoot, ['ls-files', '--cached', '--error-unmatch', '--', spec], signal).then(
      (out) => out.trim() !== '',
      () => false,
    );
    signal.throwIfAborted();
    if (!tracked) return { ok: false, reason: 'untracked link' };
  }
  return { ok: true, file: real };
}

/**
 * The first `maxBytes` bytes of `file`, as UTF-8, when {@link confinedFile} allows it; else why not.
 * @throws the signal's reason when aborted.
 */
export async function readConfinedFile(root: string, file: string, maxBytes: number, signal: AbortSignal): Promise<{ text: string } | { refused: RefusedReason }> {
  const confined = await confinedFile(root, file, signal);
  if (!confined.ok) return { refused: confined.reason };
  const text = await readFileStart(confined.file, maxBytes);
  return text === undefined ? { refused: 'missing' } : { text };
}

/** The first `maxBytes` bytes of `file` as UTF-8 (a huge file is not read whole), or undefined when it cannot be read. */
export async function readFileStart(file: string, maxBytes: number): Promise<string | undefined> {
  try {
    const handle = await open(file, 'r');
    try {
      const buffer = Buffer.alloc(maxBytes);
      const { bytesRead } = await handle.read(buffer, 0, maxBytes, 0);
      return buffer.subarray(0, bytesRead).toString('utf8');
    } finally {
      await handle.close();
    }
  } catch {
    return undefined;
  }
}
