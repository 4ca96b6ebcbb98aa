/**
 * The one way the git services run git: `simple-git` with settings that keep the workspace's own
 * configuration from running programs while MOCO only reads (CONVENTIONS.md: a workspace is not
 * trusted to configure MOCO's tools). Every call is cancelled by its `AbortSignal`.
 *
 * A call has an {@link GitAccess}: `read` (the default: everything but the two below), `fetch`
 * (the base of a pull request) or `write` (`git add`/`git commit` of a commit and `git switch -c`/
 * `git push` of a pull request, which run after the user asked or approved them and keep the
 * repository's hooks and filters on purpose). Every access gets gitEnvironment.ts's allow-listed
 * environment, so no hook or helper git starts sees the server's API keys.
 */
import { simpleGit, type SimpleGit } from 'simple-git';
import { MocoErrorCodes } from '../../../protocol/errors';
import { MocoError } from '../orchestrator/errors';
import { gitEnvironment } from './gitEnvironment';

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
 * `-c` settings of reading calls on top of {@link SAFE_CONFIG}, which switch off the programs a
 * repository's config (or a file it includes) can make a read run (git-config(1), githooks(5)):
 * - `core.hooksPath=/dev/null`: no hook at all, e.g. `post-index-change`, which the temporary
 *   index of the range "all" (`git add --intent-to-add`) would run;
 * - `log.showSignature=false`: `git log` would run `gpg.program` on a signed commit;
 * - `protocol.allow=never`: no transport at all, so a partial clone's lazy fetch of a missing
 *   object (`git diff <ref>`) fails instead of running `core.sshCommand` or a remote helper;
 * plus, per filter the config names, {@link filterOverrides}: `clean`, `smudge` and `process`
 * emptied and `required=false`, so a same-size edit that makes `status` or `diff` hash the file
 * runs no filter program (an LFS file is then compared as it is on disk).
 */
const READ_CONFIG = ['core.hooksPath=/dev/null', 'log.showSignature=false'];
/** See {@link READ_CONFIG}; left out of `fetch`. */
const NO_TRANSPORT = 'protocol.allow=never';

/**
 * simple-git refuses any `-c` setting of these (its argument guard), whatever the value. MOCO sets
 * them only to the safe values above, never to a caller's value, so allowing them is safe here.
 */
const READ_UNSAFE = { allowUnsafeFsMonitor: true, allowUnsafeHooksPath: true, allowUnsafeProtocolOverride: true, allowUnsafeFilter: true } as const;

/**
 * The flag that keeps `git status` and `git diff` out of submodules' work trees: to see whether a
 * submodule's files changed, git runs `git status` inside it, with the submodule's own config
 * (`.git/modules/<name>/config`), whose filters MOCO's `-c` settings do not reach. A submodule's
 * new commit is still seen. A flag, not `-c diff.ignoreSubmodules`, which a submodule's
 * `submodule.<name>.ignore` (in `.gitmodules` or the config) overrides.
 */
export const SUBMODULES_UNREAD = '--ignore-submodules=dirty';

/**
 * Flags of every `git diff` MOCO runs: no external diff program (`diff.external`, `GIT_EXTERNAL_DIFF`),
 * no textconv filter (`.gitattributes` `diff=<driver>` with `textconv`): both run programs the
 * workspace names. Binary files are then said as binary, which is what a prompt needs. Submodules:
 * see {@link SUBMODULES_UNREAD}, and `--submodule=short` (no `git diff` run inside one, with its
 * own config, for `diff.submodule=diff`).
 */
export const SAFE_DIFF_FLAGS: readonly string[] = ['--no-ext-diff', '--no-textconv', '--no-color', '--src-prefix=a/', '--dst-prefix=b/', '--submodule=short', SUBMODULES_UNREAD];

/**
 * What a call may do. `read`: no hook, signature program, filter or transport runs. `fetch`: the
 * same but a transport (`git fetch` of a pull request's base, which the user asked for). `write`:
 * the repository's own hooks, filters and transport run, as with the user's own `git commit` /
 * `git push` (only after the user asked or approved).
 */
export type GitAccess = 'read' | 'fetch' | 'write';

/** Options of {@link gitClient}. */
export interface GitClientOptions {
  /** A different index file for this client's calls (`GIT_INDEX_FILE`, an absolute path). */
  indexFile?: string;
  /** Default `read`. */
  access?: GitAccess;
}

/** How long the filter names read for a call chain are reused (ms): a config changed later is read again. */
const FILTER_CACHE_MS = 1000;

/** Filter names per folder, per call chain (its `AbortSignal`), with when they were read. */
const filterCache = new WeakMap<AbortSignal, Map<string, { at: number; names: Promise<string[]> }>>();

/**
 * The names of the filters the config of the repository at `dir` defines (`filter.<name>.*`, any
 * scope), from `git config --name-only --list -z` (which always prints something, see
 * {@link gitClient} on simple-git's wait). Cached for the call chain of `signal`, at most
 * {@link FILTER_CACHE_MS}.
 */
function configuredFilters(dir: string, signal: AbortSignal): Promise<string[]> {
  let byDir = filterCache.get(signal);
  if (!byDir) {
    byDir = new Map<string, { at: number; names: Promise<string[]> }>();
    filterCache.set(signal, byDir);
  }
  const cached = byDir.get(dir);
  if (cached && performance.now() - cached.at < FILTER_CACHE_MS) return cached.names;
  const names = baseClient(dir, signal, {})
    .raw(['config', '--name-only', '--list', '-z'])
    .then(
      (out) => [...new Set(out.split('\0').flatMap((key) => (/^filter\.[\s\S]+\.[^.]+$/.test(key) ? [key.slice('filter.'.length, key.lastIndexOf('.'))] : [])))],
      // Not in a repository, or a broken config: the call itself fails the same way.
      () => [],
    );
  byDir.set(dir, { at: performance.now(), names });
  return names;
}

/**
 * The `-c` settings that switch the filters `names` off.
 * @throws {MocoError} `GitStateInvalid` for a name `-c` cannot say (with `=` or a line break).
 */
export function filterOverrides(names: string[]): string[] {
  return names.flatMap((name) => {
    if (/[=\n]/.test(name)) {
      throw new MocoError(
        MocoErrorCodes.GitStateInvalid,
        `The repository's git config defines a filter named ${JSON.stringify(name)}, which MOCO cannot switch off while it reads (the name holds "=" or a line break). Rename or remove it (git config --remove-section "filter.${name}").`,
      );
    }
    return [`filter.${name}.clean=`, `filter.${name}.smudge=`, `filter.${name}.process=`, `filter.${name}.required=false`];
  });
}

function baseClient(dir: string, signal: AbortSignal, options: GitClientOptions, config: string[] = SAFE_CONFIG, unsafe: object = { allowUnsafeFsMonitor: true }): SimpleGit {
  const client = simpleGit({
    baseDir: dir,
    config,
    abort: signal,
    unsafe,
    allowEnvironment: ['GIT_OPTIONAL_LOCKS', 'GIT_INDEX_FILE'],
  });
  client.env(gitEnvironment(options.indexFile));
  return client;
}

/**
 * A simple-git client for `dir` whose calls die with `signal`, with {@link SAFE_CONFIG}, for
 * `read` (the default) and `fetch` the settings that keep the repository's programs from running
 * ({@link READ_CONFIG}), and {@link gitEnvironment}. Errors of its calls are simple-git's
 * `GitError` (message = git's stderr) or, on abort, a `GitPluginError` whose `plugin` is `abort`:
 * callers test `signal.aborted` first.
 *
 * simple-git takes a command that printed nothing as finished only 50 ms after it ended (its
 * completion plugin): hot paths prefer commands that always print (`--default` of `git config`).
 * @throws {MocoError} `GitStateInvalid` for a filter name that cannot be switched off (see {@link filterOverrides}).
 */
export async function gitClient(dir: string, signal: AbortSignal, options: GitClientOptions = {}): Promise<SimpleGit> {
  const access = options.access ?? 'read';
  if (access === 'write') return baseClient(dir, signal, options);
  const config = [...SAFE_CONFIG, ...READ_CONFIG, ...(access === 'fetch' ? [] : [NO_TRANSPORT]), ...filterOverrides(await configuredFilters(dir, signal))];
  return baseClient(dir, signal, options, config, READ_UNSAFE);
}

/**
 * Runs `git <args>` in `dir` and resolves its stdout, as is (not trimmed).
 * @throws the signal's reason when `signal` aborts; a `MocoError` `GitStateInvalid` that says what
 *   to do when a read needed the network (a partial clone's missing object, refused by
 *   {@link NO_TRANSPORT}); simple-git's `GitError` when git fails otherwise; {@link gitClient}'s
 *   `MocoError`.
 */
export async function runGit(dir: string, args: string[], signal: AbortSignal, options: GitClientOptions = {}): Promise<string> {
  signal.throwIfAborted();
  try {
    return await (await gitClient(dir, signal, options)).raw(args);
  } catch (error) {
    signal.throwIfAborted();
    // A transport refused by NO_TRANSPORT (reads only: a push's refusal is the user's own config).
    if ((options.access ?? 'read') === 'read' && error instanceof Error && !(error instanceof MocoError) && isTransportRefusal(error.message)) {
      throw new MocoError(MocoErrorCodes.GitStateInvalid, `${gitErrorText(error).replace(/\.$/, '')}. ${NO_TRANSPORT_HELP}`);
    }
    throw error;
  }
}

/** What a read refused by {@link NO_TRANSPORT} means, and what to do. */
const NO_TRANSPORT_HELP =
  'This looks like a partial clone: git needed an object it has not downloaded yet, and MOCO does not let git reach the network while it only reads. ' +
  'Download the objects first (for example git fetch, or git checkout of that commit), then try again.';

/** The message of a git failure without simple-git's decorations: git's stderr, trimmed. */
export function gitErrorText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.trim().replace(/^(fatal|error): /m, '');
}

function isTransportRefusal(text: string): boolean {
  return /transport '[^']*' not allowed/.test(text);
}
