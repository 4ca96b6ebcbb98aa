/**
 * The tracked changes of a working directory, each file with its exact name and its parsed patch.
 *
 * Names come from git's `-z` raw output (git-diff(1) "Raw output format"), which prints them as
 * they are. The patch's own names are not trusted for that: git C-quotes a name with `"`, `\` or a
 * control character (`diff --git "a/new \"q\".ts" ...`), and parse-diff gives such a name back
 * still escaped, so matching by it loses the file. A file is matched to parse-diff's section
 * whose name is the same, when exactly one is; any other file's patch is read on its own, by its
 * literal pathspec, so that its section needs no name at all.
 */
import parseDiff from 'parse-diff';
import { runGit, SAFE_DIFF_FLAGS } from '../git/gitClient';

/** One file of git's raw output. */
export interface DiffEntry {
  /**
   * git's status letter: `A` added, `M` modified, `D` deleted, `R` renamed, `T` type changed (a
   * file became a symbolic link or back); `C`, `U`, `X` do not come with the options used here.
   */
  status: string;
  /** The similarity of a rename, 0–100; undefined for other statuses. */
  score?: number;
  /** Path relative to the working directory, `/`-separated, exactly as in the tree (the new path of a rename). */
  path: string;
  /** The old path of a rename. */
  from?: string;
  /** The modes before and after, octal as git prints them (`100644`, `100755`, `120000` a symbolic link, `160000` a submodule, `000000` none). */
  oldMode: string;
  newMode: string;
}

/** A changed file and its parsed patch; `patch` undefined for a deleted file (not needed) or one whose patch could not be read. */
export interface DiffEntryPatch {
  entry: DiffEntry;
  patch?: parseDiff.File;
}

/** How the changes are diffed: `--relative` for paths relative to the working directory, 3 lines of context, renames found. */
function diffArgs(base: string): string[] {
  return ['diff', base, '--relative', ...SAFE_DIFF_FLAGS, '-U3', '--find-renames'];
}

/** A pathspec that means exactly `file` (relative to the working directory): no glob, no magic in the name. */
export function literalPathspec(file: string): string {
  return `:(literal)${file}`;
}

/**
 * The tracked changes of `workingDir` against `base` (`HEAD` or the empty tree), in git's order:
 * the raw list and the patch from one `git diff --raw -z -p`, so both describe the same moment.
 * @throws the signal's reason; simple-git's `GitError` when git fails.
 */
export async function readDiffEntries(workingDir: string, base: string, signal: AbortSignal): Promise<DiffEntryPatch[]> {
  const { entries, patch } = parseRawPatch(await runGit(workingDir, [...diffArgs(base), '--raw', '-z', '-p'], signal));
  const byName = new Map<string, parseDiff.File[]>();
  for (const file of parseDiff(patch)) {
    if (file.deleted || file.to === undefined) continue;
    byName.set(file.to, [...(byName.get(file.to) ?? []), file]);
  }
  const out: DiffEntryPatch[] = [];
  for (const entry of entries) {
    if (entry.status === 'D') {
      out.push({ entry });
      continue;
    }
    const named = byName.get(entry.path);
    const patch = named?.length === 1 ? named[0] : await readOnePatch(workingDir, base, entry, signal);
    out.push(patch ? { entry, patch } : { entry });
  }
  return out;
}

/**
 * The patch of one file, read by its literal pathspec (with its old path for a rename, so the
 * rename is found): its one section that is not a deletion (a type change is printed as the old
 * one deleted and the new one added).
 */
async function readOnePatch(workingDir: string, base: string, entry: DiffEntry, signal: AbortSignal): Promise<parseDiff.File | undefined> {
  const paths = entry.from !== undefined ? [entry.from, entry.path] : [entry.path];
  const out = await runGit(workingDir, [...diffArgs(base), '--', ...paths.map(literalPathspec)], signal);
  const sections = parseDiff(out).filter((file) => !file.deleted);
  return sections.length === 1 ? sections[0] : undefined;
}

/**
 * Splits the output of `git diff --raw -z -p` into the raw entries and the patch after them. Each
 * entry is `:<old mode> <new mode> <old sha> <new sha> <status>[<score>]\0<path>\0`, a rename or
 * copy with two paths (`\0<old>\0<new>\0`); a `\0` then separates them from the patch.
 */
export function parseRawPatch(output: string): { entries: DiffEntry[]; patch: string } {
  const entries: DiffEntry[] = [];
  let position = 0;
  const field = (): string | undefined => {
    const end = output.indexOf('\0', position);
    if (end < 0) return undefined;
    const text = output.slice(position, end);
    position = end + 1;
    return text;
  };
  while (output.startsWith(':', position)) {
    const header = /^:(\d+) (\d+) \S+ \S+ ([A-Z])(\d*)$/.exec(field() ?? '');
    if (!header) break;
    const [, oldMode, newMode, status, score] = header as unknown as [string, string, string, string, string];
    const first = field();
    const second = status === 'R' || status === 'C' ? field() : undefined;
    if (first === undefined || ((status === 'R' || status === 'C') && second === undefined)) break;
    entries.push({
      status,
      ...(score !== '' ? { score: Number(score) } : {}),
      ...(second !== undefined ? { path: second, from: first } : { path: first }),
      oldMode,
      newMode,
    });
  }
  if (output.startsWith('\0', position)) position += 1;
  return { entries, patch: output.slice(position) };
}
