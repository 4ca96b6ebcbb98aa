/**
 * The one way the git services run git: `simple-git` with settings that keep the workspace's own
 * configuration from running programs while MOCO only reads (CONVENTIONS.md: a workspace is not
 * trusted to configure MOCO's tools). Every call is cancelled by its `AbortSignal`.
 */
import { simpleGit, type SimpleGit } from 'simple-git';

/**
 * `-c` settings given to every git call:
 * - `core.fsmonitor=false`: a repository's config may name an fsmonitor hook program, which
 *   `status` and `diff` would run.
 * - `core.quotePath=false`: paths with non-ASCII characters come out as they are, not octal-quoted.
 * - `color.ui=false`, `diff.noprefix=false`, `diff.mnemonicPrefix=false`, `diff.relative=false`:
 *   the output has the plain `a/`, `b/` shape that the parsers read, whatever the user set.
 * Diffs also pass `--no-ext-diff --no-textconv` (see {@link SAFE_DIFF_FLAGS}).
 */
const SAFE_CONFIG = [
  'core.fsmonitor=false',
  'core.quotePath=false',
  'color.ui=false',
  'diff.noprefix=false',
  'diff.mnemonicPrefix=false',
  'diff.relative=false',
];

/**
 * Flags of every `git diff` MOCO runs: no external diff program (`diff.external`, `GIT_EXTERNAL_DIFF`),
 * no textconv filter (`.gitattributes` `diff=<driver>` with `textconv`): both run programs the
 * workspace names. Binary files are then said as binary, which is what a prompt needs.
 */
export const SAFE_DIFF_FLAGS: readonly string[] = ['--no-ext-diff', '--no-textconv', '--no-color', '--src-prefix=a/', '--dst-prefix=b/'];

/**
 * Variables simple-git refuses to pass on (its environment guard): `GIT_*`, editors, pagers,
 * askpass and `PREFIX` (@simple-git/argv-parser's list). An environment given to git leaves them out.
 */
function guarded(name: string): boolean {
  const lower = name.toLowerCase();
  return lower.startsWith('git') || ['editor', 'visual', 'pager', 'prefix', 'ssh_askpass'].includes(lower);
}

/** Options of {@link gitClient}. */
export interface GitClientOptions {
  /** A different index file for this client's calls (`GIT_INDEX_FILE`, an absolute path). */
  indexFile?: string;
}

/**
 * The environment of git: this process's without the variables simple-git refuses, with
 * `GIT_OPTIONAL_LOCKS=0` so that reading (`git status`) never writes the index behind the user's
 * back, which could make their own `git add` fail on `index.lock` (git(1), GIT_OPTIONAL_LOCKS).
 */
function gitEnvironment(options: GitClientOptions): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) if (value !== undefined && !guarded(name)) env[name] = value;
  env.GIT_OPTIONAL_LOCKS = '0';
  if (options.indexFile) env.GIT_INDEX_FILE = options.indexFile;
  return env;
}

/**
 * A simple-git client for `dir` whose calls die with `signal`, with {@link SAFE_CONFIG} and
 * {@link gitEnvironment}. Errors of its calls are simple-git's `GitError` (message = git's stderr)
 * or, on abort, a `GitPluginError` whose `plugin` is `abort`: callers test `signal.aborted` first.
 *
 * simple-git takes a command that printed nothing as finished only 50 ms after it ended (its
 * completion plugin): hot paths prefer commands that always print (`--default` of `git config`).
 */
export function gitClient(dir: string, signal: AbortSignal, options: GitClientOptions = {}): SimpleGit {
  const client = simpleGit({
    baseDir: dir,
    config: SAFE_CONFIG,
    abort: signal,
    // Only to turn fsmonitor off: simple-git refuses any `core.fsmonitor` setting without this.
    unsafe: { allowUnsafeFsMonitor: true },
    allowEnvironment: ['GIT_OPTIONAL_LOCKS', 'GIT_INDEX_FILE'],
  });
  client.env(gitEnvironment(options));
  return client;
}

/**
 * Runs `git <args>` in `dir` and resolves its stdout, as is (not trimmed).
 * @throws the signal's reason when `signal` aborts; simple-git's `GitError` when git fails.
 */
export async function runGit(dir: string, args: string[], signal: AbortSignal, options: GitClientOptions = {}): Promise<string> {
  signal.throwIfAborted();
  try {
    return await gitClient(dir, signal, options).raw(args);
  } catch (error) {
    signal.throwIfAborted();
    throw error;
  }
}

/** The message of a git failure without simple-git's decorations: git's stderr, trimmed. */
export function gitErrorText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.trim().replace(/^(fatal|error): /m, '');
}
