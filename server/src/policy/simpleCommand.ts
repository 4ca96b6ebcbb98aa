/**
 * A simple command found in a command line, normalised, with what the built-in rules need to know
 * about where it sits (its pipeline, its function, its working directory) and what it runs.
 */
import * as path from 'node:path';
import type { Word } from './words';

/** A redirection of a simple command (its own, or inherited from an enclosing `{ ...; } > f`). */
export interface Redirect {
  /** `>`, `>>`, `&>`, `&>>`, `>|`, `<`, `<>`, `>&`, `<&`, `<<`, `<<<`... */
  operator: string;
  /** The target word; undefined for a descriptor duplication (`2>&1`). */
  target: Word | undefined;
}

/** One simple command of a command line. */
export interface SimpleCommand {
  /**
   * The program's name for the built-in rules: the basename of the first word (`/bin/rm`, `./rm`
   * → `rm`). Empty when the name cannot be known ({@link dynamicName}) or there is no command
   * (a plain assignment).
   */
  name: string;
  /** The words, after quote removal and brace expansion; `words[0]` is the command as normalised. */
  words: Word[];
  /** The normalised command (words joined, quoted where needed): what patterns match and users see. */
  text: string;
  /** `VAR=value` prefixes (and the assignments of `export`, `declare`...), as written. */
  assignments: string[];
  redirects: Redirect[];
  /** The wrappers and runners it came through, outermost first: `['sudo', 'bash -c']`. */
  via: string[];
  /** The command name is built from a variable, a substitution or a glob: unknowable. */
  dynamicName: boolean;
  /** `xargs` appends arguments at run time. */
  openArgs: boolean;
  /** For a command that runs other commands (`sudo`, `bash -c`, `xargs`, `find -exec`...): whether they were found. */
  runs?: 'known' | 'unknown';
  /** A shell or interpreter running a script from its stdin: `known` when the script was checked. */
  stdinScript?: 'known' | 'unknown';
  /** Names of the commands of the earlier stages of its pipeline (`curl` in `curl x | sh`). */
  upstream: string[];
  /** Names of the commands in the command and process substitutions of its words. */
  substituted: string[];
  /** The function whose body it is in. */
  inFunction?: string;
  /** Run in the background (`&`). */
  background: boolean;
  /** A stage of a pipeline of two or more stages. */
  inPipeline: boolean;
  /** Its name is a function defined earlier in the same command line. */
  callsFunction: boolean;
  /** The working directories it may run in; `undefined` stands for one the policy cannot know. */
  cwds: (string | undefined)[];
  /** The home folder, undefined when the line reassigned `HOME`. */
  home: string | undefined;
  /** Real path of the workspace root. */
  workspaceRoot: string;
}

/** Folders whose programs are the system's: `/usr/bin/rm` is written `rm` in the normalised text. */
const SYSTEM_DIRS = new Set(['/bin', '/usr/bin', '/usr/local/bin', '/sbin', '/usr/sbin', '/usr/local/sbin', '/opt/homebrew/bin', '/run/current-system/sw/bin']);

/**
 * The normalised first word: a system program's path becomes its name (`/usr/bin/rm` → `rm`);
 * another path stays (a `./ls` of the workspace is not the system's `ls`).
 */
export function normaliseProgram(value: string): string {
  if (!value.includes('/')) return value;
  const normalised = path.posix.normalize(value);
  return SYSTEM_DIRS.has(path.posix.dirname(normalised)) ? path.posix.basename(normalised) : value;
}

/** The name built-in rules see: the basename, lower-cased (case-insensitive file systems run `RM` as `rm`). */
export function programName(value: string): string {
  return path.posix.basename(value).toLowerCase();
}

/** Words joined with spaces; a word with spaces or shell syntax is quoted (`echo 'rm -rf /'`); a process substitution stays as written. */
export function joinWords(words: readonly Word[]): string {
  return words.map((word) => quoteForDisplay(word)).join(' ');
}

/** A redirect as the user would write it: `> /dev/sda`, `2>&1` (a duplication), `<<` (a here-document). */
export function redirectText(redirect: Redirect): string {
  if (!redirect.target) return redirect.operator;
  return `${redirect.operator} ${quoteForDisplay(redirect.target)}`;
}

function quoteForDisplay(word: Word): string {
  const text = word.text;
  if (text === '') return "''";
  if (!/[\s;&|<>()'"`\\]/.test(text)) return text;
  if (word.value === undefined && /^[<>]\(.*\)$/s.test(text)) return text;
  if (word.value === undefined) return `"${text.replace(/(["\\`])/g, '\\$1')}"`;
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
