/**
 * What the shell knows while a line runs, as far as the policy follows it: the working
 * directories a command may run in (`cd` moves them), the home folder (`HOME=` moves `~`),
 * variables assigned with static values, aliases and functions defined earlier in the line.
 */
import * as path from 'node:path';
import type { Node } from '../treeSitter';
import type { SimpleCommand } from './simpleCommand';
import { evaluateWord, type WordEnv } from './words';

/** Possible working directories tracked before they count as unknown. */
const MAX_CWDS = 8;

/** The shell state at a point of the line. Subshells work on a copy ({@link cloneScope}). */
export interface Scope {
  /** The working directories the next command may run in; `undefined` for one that cannot be known. */
  cwds: (string | undefined)[];
  home: string | undefined;
  aliases: Map<string, string>;
  functions: Set<string>;
  /** Shell variables assigned earlier in the line: their static value, or undefined when not static. */
  vars: Map<string, string | undefined>;
}

/** A copy for a subshell, a substitution or a pipeline stage: changes inside do not leak out. */
export function cloneScope(scope: Scope): Scope {
  return { cwds: [...scope.cwds], home: scope.home, aliases: new Map(scope.aliases), functions: new Set(scope.functions), vars: new Map(scope.vars) };
}

/** A new shell process (`bash -c`): same directory and home; no aliases, functions or (unexported, so unknown) variables. */
export function shellScope(scope: Scope): Scope {
  return { cwds: [...scope.cwds], home: scope.home, aliases: new Map(), functions: new Set(), vars: new Map() };
}

/** What word expansion knows in this scope (the directory only when it is certain). */
export function wordEnv(scope: Scope): WordEnv {
  const known = scope.cwds.length === 1 ? scope.cwds[0] : undefined;
  return { home: scope.home, cwd: known, vars: scope.vars };
}

/** `NAME=value` as a statement or in `export`: remembers the value when static (`HOME` moves `~`). */
export function assign(node: Node, scope: Scope): void {
  const name = node.childForFieldName('name')?.text ?? '';
  const valueNode = node.childForFieldName('value');
  const append = node.children.some((child) => child?.type === '+=');
  const words = valueNode ? evaluateWord(valueNode, wordEnv(scope)) : [];
  const value = append || words.length > 1 ? undefined : valueNode ? words[0]?.value : '';
  if (name === 'HOME') scope.home = value;
  else scope.vars.set(name, value);
}

/** Distinct values; past {@link MAX_CWDS} the rest count as one unknown. */
export function unique<T>(values: T[]): T[] {
  const distinct = [...new Set(values)];
  return distinct.length > MAX_CWDS ? [...distinct.slice(0, MAX_CWDS), undefined as T] : distinct;
}

/** `cd`, `pushd`, `popd`: after a `&&`-guarded one the directory is certain; else it may be either. */
export function changeDirectory(command: SimpleCommand, scope: Scope, guarded: boolean): void {
  const operands = command.words.slice(1).filter((word) => !/^-[LPe@]+$/.test(word.text));
  const target = operands[0];
  let next: (string | undefined)[];
  if (command.name === 'popd' || (command.name === 'pushd' && target === undefined)) next = [undefined];
  else if (target === undefined) next = [scope.home];
  else if (target.value === undefined || target.value === '-' || /^[+-]\d+$/.test(target.value)) next = [undefined];
  else {
    const value = target.value;
    next = scope.cwds.map((cwd) => (path.posix.isAbsolute(value) ? path.posix.normalize(value) : cwd === undefined ? undefined : path.posix.resolve(cwd, value)));
  }
  scope.cwds = unique(guarded ? next : [...scope.cwds, ...next]);
}
