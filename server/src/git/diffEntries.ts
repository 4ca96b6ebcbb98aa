/**
 * The files of a `git diff`, each with its exact name and its parsed patch.
 *
 * Names come from git's `-z` raw output (git-diff(1) "Raw output format"), which prints them as
 * they are. The patch's own names are not trusted for that: git C-quotes a name with `"`, `\` or a
 * control character (`diff --git "a/new \"q\".ts" ...`), and parse-diff gives such a name back
 * still escaped, so matching by it loses the file. A file is matched to parse-diff's section
 * whose name is the same (the new name, or the old one for a deletion), when exactly one is; any
 * other file's patch is read on its own, by its literal pathspec, so that its section needs no
 * name at all.
 */
import parseDiff from 'parse-diff';
import { runGit, type GitClientOptions } from './gitClient';

/** One file of git's raw output. */
export interface DiffEntry {
  /**
   * git's status letter: `A` added, `M` modified, `D` deleted, `R` renamed, `T` type changed (a
   * file became a symbolic link or back); `C`, `U`, `X` do not come with the options used here.
   */
  status: string;
  /** The similarity of a rename, 0–100; undefined for other statuses. */
  score?: number;
  /** Path as git prints it (relative to the root, or to the working directory with `--relative`), `/`-separated, exactly as in the tree (the new path of a rename). */
  path: string;
  /** The old path of a rename. */
  from?: string;
  /** The modes before and after, octal as git prints them (`100644`, `100755`, `120000` a symbolic link, `160000` a submodule, `000000` none). */
  oldMode: string;
  newMode: string;
}

/** A changed file and its parsed patch; `patch` undefined when not asked for or when it could not be read. */
export interface DiffEntryPatch {
  entry: DiffEntry;
  patch?: parseDiff.File;
}

/**
 * A pathspec that means exactly `file`, relative to the working directory git runs in (no glob,
 * no magic in the name); with `exclude`, every file but it.
 */
export function literalPathspec(file: string, exclude = false): string {
  return `:(literal${exclude ? ',exclude' : ''})${file}`;
}

/**
 * Characters of pathspecs given to one git call: Windows caps a whole command line at 32,767
 * characters (CreateProcess), the tightest of the systems' limits.
 */
export const PATHSPEC_BATCH_CHARS = 24_000;

/**
 * `files` as literal pathspecs, in batches of at most {@link PATHSPEC_BATCH_CHARS} characters (a
 * longer single path gets a batch of its own), in order, so that each batch fits one command line.
 */
export function literalPathspecBatches(files: readonly string[], maxChars = PATHSPEC_BATCH_CHARS): string[][] {
  const batches: string[][] = [];
  let batch: string[] = [];
  let chars = 0;
  for (const file of files) {
    const spec = literalPathspec(file);
    if (batch.length > 0 && chars + spec.length + 1 > maxChars) {
      batches.push(batch);
      batch = [];
      chars = 0;
    }
    batch.push(spec);
    chars += spec.length + 1;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

/** What {@link readDiffEntries} is given besides the diff arguments. */
export interface DiffEntryOptions {
  /** Pathspecs after `--`; none: every file. */
  pathspecs?: string[];
  /** Which entries get a patch; default all. */
  wantPatch?: (entry: DiffEntry) => boolean;
  /** Options of the git client (a temporary index). */
  git?: GitClientOptions;
}

/**
 * The files of `git <diffArgs>` (`diff` and its options and revisions, without `--raw`, `-z`, `-p`
 * or pathspecs) run in `dir`, in git's order: the raw list and the patch from one
 * `git diff --raw -z -p`, so both describe the same moment.
 * @throws the signal's reason; simple-git's `GitError` when git fails.
 */
export async function readDiffEntries(dir: string, diffArgs: string[], signal: AbortSignal, options: DiffEntryOptions = {}): Promise<DiffEntryPatch[]> {
  const pathspecs = options.pathspecs?.length ? ['--', ...options.pathspecs] : [];
  const output = await runGit(dir, [...diffArgs, '--raw', '-z', '-p', ...pathspecs], signal, options.git);
  const { entries, patch } = parseRawPatch(output);
  // A type change is printed as the old file deleted and the new one added, under one name: the
  // sections of deletions are kept apart so that each entry finds only its own kind.
  const changed = new Map<string, parseDiff.File[]>();
  const deleted = new Map<string, parseDiff.File[]>();
  for (const file of parseDiff(patch)) {
    const [byName, name] = file.deleted ? [deleted, file.from] : [changed, file.to];
    if (name !== undefined) byName.set(name, [...(byName.get(name) ?? []), file]);
  }
  const out: DiffEntryPatch[] = [];
  for (const entry of entries) {
    if (options.wantPatch && !options.wantPatch(entry)) {
      out.push({ entry });
      continue;
    }
    const named = (entry.status === 'D' ? deleted : changed).get(entry.path);
    const found = named?.length === 1 ? named[0] : await readOnePatch(dir, diffArgs, entry, signal, options.git);
    out.push(found ? { entry, patch: found } : { entry });
  }
  return out;
}

/**
 * The patch of one file, read by its literal pathspec (with its old path for a rename, so the
 * rename is found): its one section of a deletion for a deleted file, else its one section that
 * is not a deletion.
 */
async function readOnePatch(dir: string, diffArgs: string[], entry: DiffEntry, signal: AbortSignal, git?: GitClientOptions): Promise<parseDiff.File | undefined> {
  const paths = entry.from !== undefined ? [entry.from, entry.path] : [entry.path];
  const out = await runGit(dir, [...diffArgs, '--', ...paths.map((file) => literalPathspec(file))], signal, git);
  const sections = parseDiff(out).filter((file) => Boolean(file.deleted) === (entry.status === 'D'));
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
