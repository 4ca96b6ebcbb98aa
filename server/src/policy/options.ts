/**
 * Reading command-line options the way getopt does, for the commands the policy looks into:
 * where the options end, which short flags a cluster holds (`-rf` → r, f), and the operands.
 */
import type { Word } from './words';

/** Options of one command that take a value. */
export interface OptionSpec {
  /** Short options taking a value: `'ugp'` for `-u USER`, `-uUSER`. */
  short?: string;
  /** Long options taking a value, without dashes: `['user']` for `--user USER`, `--user=USER`. */
  long?: readonly string[];
  /** `-10` is an option (nice's old syntax). */
  numeric?: boolean;
  /** Options may follow operands (GNU style: `rm dir -rf`); false for wrappers, whose operands are a command. */
  permute?: boolean;
  /**
   * Every long option the program knows, without dashes: getopt_long takes any unambiguous prefix
   * of one (`rm --rec` is `--recursive`), so a prefix is read as the whole name.
   */
  knownLong?: readonly string[];
}

/** The text getopt sees: the value when known, else the text as written. */
export function argText(word: Word | undefined): string {
  return word === undefined ? '' : (word.value ?? word.text);
}

/** Index of the first operand: the first word that is not an option or an option's value. */
export function operandStart(args: readonly Word[], spec: OptionSpec): number {
  let i = 0;
  while (i < args.length) {
    const step = optionWidth(args, i, spec);
    if (step === 0) return i;
    if (argText(args[i]) === '--') return i + 1;
    i += step;
  }
  return i;
}

/** How many words the option at `i` takes (0 when `args[i]` is an operand). */
function optionWidth(args: readonly Word[], i: number, spec: OptionSpec): number {
  const text = argText(args[i]);
  if (text === '--') return 1;
  if (text.startsWith('--')) {
    const name = text.slice(2);
    return !name.includes('=') && (spec.long ?? []).includes(name) ? 2 : 1;
  }
  if (!text.startsWith('-') || text === '-') return 0;
  if (spec.numeric && /^-\d+$/.test(text)) return 1;
  for (let c = 1; c < text.length; c += 1) {
    if ((spec.short ?? '').includes(text[c] ?? '')) return c === text.length - 1 ? 2 : 1;
  }
  return 1;
}

/** Options and operands of a command whose options may come anywhere (GNU `rm dir -rf`). */
export interface ParsedArgs {
  /** Long options (`--force`, `--output=x`) and the letters of short clusters (`r`, `f`). */
  flags: Set<string>;
  /** Values of options taking one, by name (`o` → `out.txt`, `output` → `out.txt`). */
  values: Map<string, string>;
  operands: Word[];
}

/** Splits arguments into options and operands; after `--` everything is an operand. */
export function parseArgs(args: readonly Word[], spec: OptionSpec = {}): ParsedArgs {
  const flags = new Set<string>();
  const values = new Map<string, string>();
  const operands: Word[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const text = argText(args[i]);
    if (text === '--') {
      operands.push(...args.slice(i + 1));
      break;
    }
    if (text.startsWith('--')) {
      const [written = '', value] = splitOnce(text.slice(2), '=');
      const name = completeLong(written, spec.knownLong);
      flags.add(`--${name}`);
      if (value !== undefined) values.set(name, value);
      else if ((spec.long ?? []).includes(name)) values.set(name, argText(args[(i += 1)]));
    } else if (text.startsWith('-') && text !== '-') {
      i = shortCluster(args, i, text, spec, flags, values);
    } else {
      operands.push(args[i] as Word);
      if (spec.permute === false) {
        operands.push(...args.slice(i + 1));
        break;
      }
    }
  }
  return { flags, values, operands };
}

function shortCluster(args: readonly Word[], i: number, text: string, spec: OptionSpec, flags: Set<string>, values: Map<string, string>): number {
  for (let c = 1; c < text.length; c += 1) {
    const letter = text[c] ?? '';
    flags.add(letter);
    if ((spec.short ?? '').includes(letter)) {
      const attached = text.slice(c + 1);
      if (attached !== '') {
        values.set(letter, attached);
        return i;
      }
      values.set(letter, argText(args[i + 1]));
      return i + 1;
    }
  }
  return i;
}

/** The long option `written` abbreviates, when exactly one of `known` starts with it (or it is one). */
function completeLong(written: string, known: readonly string[] | undefined): string {
  if (!known || written === '' || known.includes(written)) return written;
  const candidates = known.filter((name) => name.startsWith(written));
  return candidates.length === 1 ? (candidates[0] as string) : written;
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at === -1 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

/** `NAME=value`: the shape of an assignment word (env's and sudo's operands). */
export function isAssignment(word: Word | undefined): boolean {
  return word !== undefined && /^[A-Za-z_][A-Za-z0-9_]*=/.test(word.text);
}
