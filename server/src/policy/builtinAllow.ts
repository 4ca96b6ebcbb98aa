/**
 * The built-in allow list: everyday commands that only read or print, so that an agent is usable
 * without a question per `ls`. A command is allowed here only when written as the plain program
 * name (`ls`, `/usr/bin/ls`), never a path in the workspace (`./ls` could be anything), and only
 * without the options with which it writes files or runs programs (`sort -o`, `rg --pre`,
 * `find -delete`). Scripts such as `npm test` or `make` run arbitrary code: they are not here, so
 * the caller's default (usually `ask`) applies, and a user rule can allow them.
 */
import { isReadOnlyGit, parseGit } from './git';
import { argText, parseArgs, type OptionSpec } from './options';
import { SHELLS } from './runners';
import type { SimpleCommand } from './simpleCommand';
import type { BuiltinRule } from './types';
import type { Word } from './words';

function allow(pattern: string, reason: string, test: (command: SimpleCommand) => boolean, names?: readonly string[]): BuiltinRule {
  return names ? { pattern, decision: 'allow', source: 'builtin', reason, names, test } : { pattern, decision: 'allow', source: 'builtin', reason, test };
}

/** Written as the program itself, not as a path to some other file of that name. */
function plain(command: SimpleCommand): boolean {
  return !command.dynamicName && command.words[0]?.text === command.name;
}

function without(short: string, long: readonly string[] = [], spec: OptionSpec = {}): (args: readonly Word[]) => boolean {
  return (args) => {
    const { flags } = parseArgs(args, spec);
    return ![...short].some((letter) => flags.has(letter)) && !long.some((name) => flags.has(`--${name}`));
  };
}

function atMostOperands(count: number, spec: OptionSpec = {}): (args: readonly Word[]) => boolean {
  return (args) => parseArgs(args, spec).operands.length <= count;
}

const always = (): boolean => true;

/** find's actions that delete, write files or (unlike -exec, whose command is checked) cannot be followed. */
const FIND_WRITES = new Set(['-delete', '-fprint', '-fprint0', '-fprintf', '-fls']);

/** Read-only programs, each with a check of its arguments. */
const READ_ONLY: Record<string, (args: readonly Word[]) => boolean> = {
  ls: always, cat: always, head: always, tail: always, wc: always, pwd: always, echo: always, printf: always,
  grep: always, egrep: always, fgrep: always, which: always, whereis: always, type: always, file: without('C', ['compile']),
  stat: always, du: always, df: always, cut: always, tr: always, true: always, false: always, test: always, '[': always,
  ':': always, basename: always, dirname: always, realpath: always, readlink: always, whoami: always, id: always,
  uname: always, nproc: always, uptime: always, diff: always, cmp: always, comm: always, md5sum: always, sha1sum: always,
  sha256sum: always, sha512sum: always, b2sum: always, cksum: always, nl: always, fold: always, column: always,
  paste: always, join: always, tac: always, rev: always, expand: always, unexpand: always, seq: always, sleep: always,
  jq: always, base64: always, od: always, hexdump: always, locale: always, groups: always, arch: always, lsblk: always,
  free: always, cd: always, pushd: always, popd: always, dirs: always, alias: always, unalias: always, export: always,
  declare: always, typeset: always, local: always, readonly: always, unset: always, set: always, shopt: always,
  exit: always, return: always, break: always, continue: always, shift: always, wait: always, jobs: always, read: always,
  ulimit: always, umask: always,
  sort: without('o', ['output', 'compress-program'], { short: 'koStT', long: ['key', 'output', 'field-separator', 'temporary-directory', 'buffer-size'] }),
  uniq: atMostOperands(1, { short: 'fsw', long: ['skip-fields', 'skip-chars', 'check-chars', 'group', 'all-repeated'] }),
  xxd: atMostOperands(1, { short: 'cglosnC', long: [] }),
  date: without('s', ['set']),
  rg: without('', ['pre']),
  tree: without('o'),
  hostname: (args) => args.every((word) => argText(word).startsWith('-') && !['-F', '--file', '-b', '--boot'].includes(argText(word))),
  find: (args) => !args.some((word) => FIND_WRITES.has(argText(word))),
};

/** Tools whose `--version` (or `-v`, `-V`, `version`) only prints their version. */
const VERSION_TOOLS = ['node', 'npm', 'npx', 'yarn', 'pnpm', 'python', 'python3', 'pip', 'pip3', 'go', 'cargo', 'rustc', 'java', 'javac', 'ruby', 'perl', 'git', 'docker', 'tsc', 'deno', 'bun', 'gcc', 'g++', 'clang', 'make', 'cmake', 'rg', 'jq', 'bash', 'sh', 'zsh', 'gradle', 'mvn', 'dotnet', 'php', 'composer', 'kubectl', 'terraform', 'bwrap', 'uv', 'poetry'];

/** Programs that run another command they are given, which is itself checked. */
const RUNNERS = ['timeout', 'nice', 'nohup', 'time', 'stdbuf', 'ionice', 'setsid', 'env', 'command', 'builtin', 'exec', 'xargs', 'watch', 'busybox', 'unbuffer', 'eval', ...SHELLS];

/** The allow rules: tried only when no deny rule matched; user rules can deny or ask for these too. */
export const ALLOW_RULES: readonly BuiltinRule[] = [
  ...Object.entries(READ_ONLY).map(([name, check]) =>
    allow(`${name}*`, `${name} only reads or prints (without options that write files)`, (command) => plain(command) && check(command.words.slice(1)), [name]),
  ),
  allow('git status|log|diff|show|branch…', 'a git command that only reads the repository', (command) => plain(command) && isReadOnlyGit(parseGit(command.words)), ['git']),
  allow('<tool> --version', 'it only prints a version', (command) => plain(command) && command.words.length === 2 && ['--version', '-v', '-V', 'version', '-version'].includes(argText(command.words[1])), VERSION_TOOLS),
  allow('command -v …', 'it only says where a command is', (command) => plain(command) && ['-v', '-V'].includes(argText(command.words[1])), ['command']),
  allow('timeout|nice|env|xargs|bash -c …', 'it runs the command it is given, and that command is checked on its own', (command) => plain(command) && (command.runs === 'known' || command.stdinScript === 'known' || (command.name === 'exec' && command.words.length === 1)), RUNNERS),
  allow('<function defined in this line>', 'it calls a function defined earlier in the same command, whose body is checked', (command) => command.callsFunction),
  allow('VAR=value', 'it only sets shell variables', (command) => command.words.length === 0),
];
