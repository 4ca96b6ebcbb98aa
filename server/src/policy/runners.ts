/**
 * Commands that run other commands, and what they run: wrappers (`sudo`, `env`, `timeout`...),
 * shells given a script (`bash -c`, `sh -c`, `su -c`, `eval`, `watch`), `xargs` and
 * `find -exec`. Also which programs are shells, interpreters and downloaders.
 */
import { argText, isAssignment, operandStart, parseArgs, type OptionSpec } from './options';
import type { Word } from './words';

/** What a runner runs. */
export type Payload =
  /** A command given as words (`sudo rm -rf /` → `rm -rf /`). */
  | { kind: 'command'; via: string; words: Word[]; assignments: string[]; openArgs: boolean }
  /** A script given as text (`bash -c 'rm -rf /'`); `script` is undefined when it is not static. */
  | { kind: 'script'; via: string; script: string | undefined; sameShell: boolean };

interface WrapperSpec extends OptionSpec {
  /** `NAME=value` words may come before the command (env, sudo). */
  assignments?: boolean;
  /** Operands before the command (timeout's duration). */
  skip?: number;
  /** Options with which it runs no command (`sudo -l`, `command -v`). */
  query?: readonly string[];
}

const WRAPPERS: Record<string, WrapperSpec> = {
  sudo: {
    short: 'ugphCDrtTU',
    long: ['user', 'group', 'host', 'prompt', 'close-from', 'chdir', 'role', 'type', 'command-timeout', 'other-user'],
    assignments: true,
    query: ['l', 'v', 'k', 'K', 'e', 'V', '--list', '--validate', '--reset-timestamp', '--remove-timestamp', '--edit', '--version', '--help'],
  },
  doas: { short: 'uC', query: ['L'] },
  pkexec: { long: ['user'] },
  env: { short: 'uC', long: ['unset', 'chdir'], assignments: true },
  command: { query: ['v', 'V'] },
  builtin: {},
  exec: { short: 'a' },
  nice: { short: 'n', long: ['adjustment'], numeric: true },
  nohup: {},
  time: { short: 'fo', long: ['format', 'output'] },
  timeout: { short: 'sk', long: ['signal', 'kill-after'], skip: 1 },
  stdbuf: { short: 'ioe', long: ['input', 'output', 'error'] },
  ionice: { short: 'cnp', long: ['class', 'classdata', 'pid', 'pgid', 'uid'], query: ['p', 'P', 'u', '--pid', '--pgid', '--uid'] },
  setsid: {},
  busybox: {},
  unbuffer: {},
};

/** Shells: `-c` takes a script; without it and without a script file they read stdin. */
export const SHELLS = new Set(['sh', 'bash', 'rbash', 'zsh', 'dash', 'ksh', 'mksh', 'ash', 'yash', 'posh', 'fish', 'csh', 'tcsh']);

/** Programs that fetch data from the network (source of "download piped into a shell"). */
export const DOWNLOADERS = new Set([
  'curl', 'wget', 'wget2', 'fetch', 'aria2c', 'axel', 'http', 'https', 'xh', 'httpie', 'lwp-request', 'lwp-download',
  'get', 'post', 'nc', 'ncat', 'netcat', 'socat', 'ftp', 'tftp', 'lftp', 'lynx', 'w3m', 'links', 'elinks', 'ssh',
]);

/** Interpreters: the flags that give them code inline; without those and without a script they read stdin. */
const INTERPRETERS: Record<string, OptionSpec & { inline: readonly string[] }> = {
  python: { short: 'cmWXQ', inline: ['c', 'm'] },
  perl: { short: 'eEIMmlx0', inline: ['e', 'E'] },
  ruby: { short: 'eIrCEFx', inline: ['e'] },
  node: { short: 'erp', long: ['eval', 'print', 'require', 'import'], inline: ['e', 'p', '--eval', '--print'] },
  bun: { short: 'er', long: ['eval', 'print'], inline: ['e', '--eval', '--print'] },
  deno: { long: ['eval'], inline: ['--eval'] },
  php: { short: 'rfdc', inline: ['r'] },
  lua: { short: 'el', inline: ['e'] },
};

/** The interpreter family of a program name (`python3.12` → python), or undefined. */
export function interpreterOf(name: string): string | undefined {
  if (/^(python|pypy)[0-9.]*$/.test(name)) return 'python';
  if (name === 'nodejs') return 'node';
  if (name === 'luajit' || /^lua[0-9.]+$/.test(name)) return 'lua';
  if (/^(perl|ruby|php)[0-9.]*$/.test(name)) return name.replace(/[0-9.]+$/, '');
  return name in INTERPRETERS ? name : undefined;
}

/** True for a shell, an interpreter, `eval`, `source` or `.`: programs that run code they are given. */
export function runsCode(name: string): boolean {
  return SHELLS.has(name) || interpreterOf(name) !== undefined || name === 'eval' || name === 'source' || name === '.';
}

/**
 * What a command runs. Undefined when it is not a runner; an empty list when it is one that runs
 * nothing here (`env` alone, `sudo -l`, `command -v x`).
 * @param name the program's name ({@link SimpleCommand.name}); `words[0]` is the program.
 */
export function payloadsOf(name: string, words: readonly Word[]): Payload[] | undefined {
  const args = words.slice(1);
  const wrapper = WRAPPERS[name];
  if (wrapper) return name === 'env' && envSplitString(args) !== null ? envPayload(args) : wrapperPayload(name, args, wrapper);
  if (SHELLS.has(name)) return shellScript(name, args);
  switch (name) {
    case 'eval':
      return [{ kind: 'script', via: 'eval', script: joinValues(args), sameShell: true }];
    case 'su':
    case 'runuser': {
      const parsed = parseArgs(args, { short: 'csgGw', long: ['command', 'shell', 'group', 'supp-group', 'session-command', 'whitelist-environment'] });
      const script = parsed.values.get('c') ?? parsed.values.get('command') ?? parsed.values.get('session-command');
      return script === undefined ? [] : [{ kind: 'script', via: `${name} -c`, script: knownScript(args, script), sameShell: false }];
    }
    case 'watch':
      return watchPayload(args);
    case 'xargs':
      return xargsPayload(args);
    case 'find':
      return findPayloads(args);
    default:
      return undefined;
  }
}

function wrapperPayload(name: string, args: Word[], spec: WrapperSpec): Payload[] {
  const start = operandStart(args, spec);
  const options = parseArgs(args.slice(0, start), spec);
  if ((spec.query ?? []).some((flag) => options.flags.has(flag))) return [];
  let i = start + (spec.skip ?? 0);
  const assignments: string[] = [];
  while (spec.assignments && isAssignment(args[i])) assignments.push((args[i++] as Word).text);
  const rest = args.slice(i);
  return rest.length === 0 ? [] : [{ kind: 'command', via: name, words: rest, assignments, openArgs: false }];
}

/** The value of `env -S` / `--split-string`, or null when it is not given. */
function envSplitString(args: Word[]): Word | null {
  for (let i = 0; i < args.length; i += 1) {
    const text = argText(args[i]);
    if (text === '-S' || text === '--split-string') return args[i + 1] ?? null;
    if (!text.startsWith('-')) return null;
  }
  return null;
}

/** `env -S 'cmd args'`: the string is split into words, like a shell line. */
function envPayload(args: Word[]): Payload[] {
  const split = envSplitString(args);
  const after = split ? args.slice(args.indexOf(split) + 1) : [];
  const script = split?.value === undefined ? undefined : [split.value, joinValues(after) ?? '\0'].join(' ');
  return [{ kind: 'script', via: 'env -S', script: script?.includes('\0') ? undefined : script, sameShell: false }];
}

/** Shell options: where `-c` is, whether `-s` is, and the first operand. */
export function shellOptions(args: readonly Word[]): { command: boolean; stdin: boolean; operand: number } {
  let command = false;
  let stdin = false;
  let i = 0;
  for (; i < args.length; i += 1) {
    const text = argText(args[i]);
    if (text === '--' || text === '-') return { command, stdin: stdin || text === '-', operand: i + 1 };
    if (text.startsWith('--')) {
      if (text === '--rcfile' || text === '--init-file') i += 1;
      else if (text === '--command') command = true;
      continue;
    }
    if (!/^[-+]./.test(text)) break;
    for (const letter of text.slice(1)) {
      if (letter === 'c') command = true;
      if (letter === 's') stdin = true;
      if (letter === 'o' || letter === 'O') i += 1;
    }
  }
  return { command, stdin, operand: i };
}

function shellScript(name: string, args: Word[]): Payload[] | undefined {
  const options = shellOptions(args);
  if (!options.command) return undefined;
  const script = args[options.operand];
  return [{ kind: 'script', via: `${name} -c`, script: script?.value, sameShell: false }];
}

/**
 * True when a shell or interpreter takes its program from stdin: no `-c`/`-e`-style code, and no
 * script file (or `-`, or a shell's `-s`).
 */
export function readsScriptFromStdin(name: string, words: readonly Word[]): boolean {
  const args = words.slice(1);
  if (SHELLS.has(name)) {
    const options = shellOptions(args);
    if (options.command) return false;
    return options.stdin || options.operand >= args.length || isStdinPath(argText(args[options.operand]));
  }
  const family = interpreterOf(name);
  const spec = family === undefined ? undefined : INTERPRETERS[family];
  if (!spec) return false;
  const parsed = parseArgs(args, { ...spec, permute: false });
  if (spec.inline.some((flag) => parsed.flags.has(flag))) return false;
  const first = parsed.operands[0];
  if (family === 'deno') return first === undefined || (argText(first) === 'run' && argText(parsed.operands[1]) === '-');
  return first === undefined || isStdinPath(argText(first));
}

/** `-`, `/dev/stdin`, `/dev/fd/0`, `/proc/self/fd/0`: a script file that is the standard input. */
function isStdinPath(text: string): boolean {
  return text === '-' || /^\/(dev\/stdin|dev\/fd\/0|proc\/self\/fd\/0)$/.test(text);
}

function watchPayload(args: Word[]): Payload[] {
  const spec: OptionSpec = { short: 'n', long: ['interval'] };
  const start = operandStart(args, spec);
  const options = parseArgs(args.slice(0, start), spec);
  const rest = args.slice(start);
  if (rest.length === 0) return [];
  if (options.flags.has('x') || options.flags.has('--exec')) return [{ kind: 'command', via: 'watch', words: rest, assignments: [], openArgs: false }];
  return [{ kind: 'script', via: 'watch', script: joinValues(rest), sameShell: false }];
}

/** `xargs [options] command args`: the command, with arguments appended (or `-I` placeholders) at run time. */
function xargsPayload(args: Word[]): Payload[] {
  const spec: OptionSpec = { short: 'aEdILnPs', long: ['arg-file', 'delimiter', 'max-args', 'max-procs', 'max-chars', 'process-slot-var'] };
  const start = operandStart(args, spec);
  const options = parseArgs(args.slice(0, start), spec);
  const replace = options.values.get('I') ?? (options.flags.has('i') || options.flags.has('--replace') ? '{}' : undefined);
  let command: Word[] = args.slice(start);
  if (command.length === 0) command = [{ text: 'echo', value: 'echo', glob: false }];
  if (replace !== undefined) command = command.map((word, i) => (i > 0 && word.text.includes(replace) ? { ...word, value: undefined } : word));
  return [{ kind: 'command', via: 'xargs', words: command, assignments: [], openArgs: replace === undefined }];
}

/** Tests that narrow what find hands to `-exec` or `-delete` below its starting points. */
const FIND_FILTERS = new Set(['-name', '-iname', '-path', '-ipath', '-wholename', '-iwholename', '-regex', '-iregex', '-inum', '-samefile', '-newer', '-empty', '-mindepth', '-links', '-lname', '-ilname', '-user', '-group', '-uid', '-gid', '-size', '-mtime', '-mmin', '-ctime', '-cmin', '-atime', '-amin', '-perm']);

/** find's starting points, and whether tests narrow its results. */
export function findStarts(args: readonly Word[]): { starts: Word[]; filtered: boolean } {
  let i = 0;
  while (i < args.length && /^-[HLP]$|^-O\d$|^-D$/.test(argText(args[i]))) i += argText(args[i]) === '-D' ? 2 : 1;
  const starts: Word[] = [];
  while (i < args.length && !/^[-(!]/.test(argText(args[i]))) starts.push(args[i++] as Word);
  const filtered = args.slice(i).some((word) => FIND_FILTERS.has(argText(word)));
  return { starts: starts.length > 0 ? starts : [{ text: '.', value: '.', glob: false }], filtered };
}

/** `find ... -exec cmd {} \;` (and `-execdir`, `-ok`, `-okdir`): each command, `{}` as the found path. */
function findPayloads(args: Word[]): Payload[] {
  const { starts, filtered } = findStarts(args);
  const only = starts.length === 1 && !filtered ? starts[0] : undefined;
  const payloads: Payload[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const action = argText(args[i]);
    if (!['-exec', '-execdir', '-ok', '-okdir'].includes(action)) continue;
    let end = i + 1;
    while (end < args.length && !isTerminator(args, end)) end += 1;
    const command = args.slice(i + 1, end).map((word) => (word.text.includes('{}') ? placeholder(word, only) : word));
    if (command.length > 0) payloads.push({ kind: 'command', via: `find ${action}`, words: command, assignments: [], openArgs: false });
    i = end;
  }
  return payloads;
}

function isTerminator(args: readonly Word[], i: number): boolean {
  const text = argText(args[i]);
  return text === ';' || (text === '+' && argText(args[i - 1]) === '{}');
}

/** `{}` becomes the starting point when find has one and no tests (its first result is that point). */
function placeholder(word: Word, start: Word | undefined): Word {
  if (start?.value === undefined || word.value === undefined) return { ...word, value: undefined };
  return { ...word, value: word.value.split('{}').join(start.value) };
}

/** The words' values joined by spaces (eval's script), or undefined when one is not known. */
function joinValues(words: readonly Word[]): string | undefined {
  if (words.some((word) => word.value === undefined)) return undefined;
  return words.map((word) => word.value).join(' ');
}

/** The `-c` script of `su` when its word is static. */
function knownScript(args: readonly Word[], script: string): string | undefined {
  const word = args.find((candidate) => candidate.value === script || argText(candidate).endsWith(`=${script}`));
  return word?.value === undefined ? undefined : script;
}
