/**
 * Reading git command lines: the global options before the subcommand, force-pushes of protected
 * branches, and the subcommands (with their arguments) that only read the repository.
 */
import { argText, parseArgs, type OptionSpec } from './options';
import type { Word } from './words';

/** Branches whose history is shared: force-pushing or deleting them is denied. */
export const PROTECTED_BRANCH = /^(main|master|develop|production|release.*)$/;

/** A git command line split at its subcommand. */
export interface GitCommand {
  /** `push`, `log`...; undefined for `git --version` or `git` alone. */
  subcommand: string | undefined;
  /** The subcommand's arguments. */
  args: Word[];
  /** Global options before the subcommand that change what git runs or where (`-c`, `--git-dir`...). */
  riskyGlobals: boolean;
  /** The command written without its global options (`git -C sub log` → `git log`), for rule patterns. */
  plain: string;
}

const GLOBAL_WITH_VALUE = new Set(['-C', '-c', '--git-dir', '--work-tree', '--namespace', '--super-prefix', '--config-env', '--list-cmds', '--exec-path']);
/** Global options that change nothing a read-only subcommand does. */
const HARMLESS_GLOBALS = new Set(['-C', '--no-pager', '-P', '--no-optional-locks', '--literal-pathspecs', '--noglob-pathspecs', '--icase-pathspecs', '--glob-pathspecs', '--no-replace-objects']);

/** Splits `git [global options] subcommand args`. `words[0]` is `git`. */
export function parseGit(words: readonly Word[]): GitCommand {
  let i = 1;
  let riskyGlobals = false;
  while (i < words.length) {
    const text = argText(words[i]);
    if (!text.startsWith('-')) break;
    const name = text.split('=')[0] ?? text;
    if (!HARMLESS_GLOBALS.has(name)) riskyGlobals = true;
    i += GLOBAL_WITH_VALUE.has(text) ? 2 : 1;
  }
  const args = words.slice(i + 1);
  const subcommand = words[i] === undefined ? undefined : argText(words[i]);
  const plain = ['git', ...words.slice(i).map((word) => word.text)].join(' ');
  return { subcommand, args, riskyGlobals, plain };
}

/**
 * True when `git push <args>` force-pushes or deletes a protected branch: `--force`, `-f`,
 * `--force-with-lease`, `--mirror` or a `+refspec` whose destination is protected, `HEAD`, a
 * pattern or unknown; a force-push that names no branch (it pushes the current one); `--all`
 * forced; `--delete`/`:branch` of a protected branch.
 */
export function forcePushesProtected(args: readonly Word[]): boolean {
  const spec: OptionSpec = { short: 'o', long: ['repo', 'receive-pack', 'exec', 'push-option'] };
  const { flags, operands } = parseArgs(args, spec);
  if (flags.has('--mirror')) return true;
  const force = flags.has('f') || flags.has('--force') || flags.has('--force-with-lease');
  const remove = flags.has('d') || flags.has('--delete');
  const refspecs = operands.slice(1);
  if (force && (refspecs.length === 0 || flags.has('--all') || flags.has('--branches'))) return true;
  return refspecs.some((refspec) => {
    if (refspec.value === undefined) return force;
    const plus = refspec.value.startsWith('+');
    const body = plus ? refspec.value.slice(1) : refspec.value;
    const colon = body.lastIndexOf(':');
    const destination = (colon === -1 ? body : body.slice(colon + 1)).replace(/^refs\/heads\//, '');
    const risky = PROTECTED_BRANCH.test(destination) || destination === 'HEAD' || destination === '@' || /[*?[]/.test(destination) || destination === '';
    if (plus || force) return risky;
    return (remove || colon === 0) && PROTECTED_BRANCH.test(destination);
  });
}

/** Subcommands that only read, whatever their arguments (bar a few that write files; see {@link isReadOnlyGit}). */
const READ_ONLY = new Set([
  'status', 'log', 'diff', 'show', 'rev-parse', 'ls-files', 'ls-tree', 'cat-file', 'blame', 'annotate', 'describe', 'shortlog',
  'merge-base', 'name-rev', 'rev-list', 'for-each-ref', 'count-objects', 'show-ref', 'grep', 'whatchanged', 'check-ignore',
  'check-attr', 'version', 'show-branch', 'range-diff', 'var',
]);

/** Arguments with which a read-only subcommand writes a file or runs a program. */
const WRITING_ARGS = /^(--output(=.*)?|-O.*|--open-files-in-pager(=.*)?|--ext-diff)$/;

/** Subcommands that only read with some arguments: each checks its own. */
const LISTING: Record<string, (args: readonly Word[]) => boolean> = {
  branch: (args) => listsOnly(args, 'dDmMcCfut', ['delete', 'move', 'copy', 'force', 'set-upstream-to', 'unset-upstream', 'edit-description', 'track', 'no-track', 'create-reflog']),
  tag: (args) => listsOnly(args, 'asudfmFe', ['annotate', 'sign', 'local-user', 'delete', 'force', 'message', 'file', 'edit', 'create-reflog']),
  remote: (args) => {
    const { operands } = parseArgs(args);
    return operands.length === 0 || argText(operands[0]) === 'get-url';
  },
  stash: (args) => ['list', 'show'].includes(argText(args[0])),
  worktree: (args) => argText(args[0]) === 'list',
  reflog: (args) => args.length === 0 || argText(args[0]) === 'show' || argText(args[0]).startsWith('-'),
  config: (args) => {
    const { flags, operands } = parseArgs(args);
    if (['get', 'list'].includes(argText(operands[0]))) return true;
    const reads = ['--get', '--get-all', '--get-regexp', '--get-urlmatch', '--list', 'l'].some((flag) => flags.has(flag));
    const writes = ['--add', '--unset', '--unset-all', '--replace-all', '--edit', 'e', '--rename-section', '--remove-section'].some((flag) => flags.has(flag));
    return reads && !writes;
  },
};

/** `git branch` / `git tag` only listing: no writing option, and names only with `--list`. */
function listsOnly(args: readonly Word[], writingShort: string, writingLong: readonly string[]): boolean {
  const { flags, operands } = parseArgs(args, { long: ['sort', 'format', 'contains', 'no-contains', 'merged', 'no-merged', 'points-at', 'color'] });
  if ([...writingShort].some((letter) => flags.has(letter)) || writingLong.some((name) => flags.has(`--${name}`))) return false;
  return operands.length === 0 || flags.has('l') || flags.has('--list');
}

/** True when the git command only reads the repository (and writes no file, runs no program it is given). */
export function isReadOnlyGit(git: GitCommand): boolean {
  if (git.riskyGlobals) return false;
  if (git.subcommand === undefined) return true;
  if (git.args.some((word) => WRITING_ARGS.test(argText(word)))) return false;
  if (READ_ONLY.has(git.subcommand)) return true;
  const check = LISTING[git.subcommand];
  return check !== undefined && check(git.args);
}
