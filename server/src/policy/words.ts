/**
 * The words of a simple command as the shell will see them, as far as they can be known before
 * the command runs: quote removal (`"r""m"` → `rm`, `'rm'` → `rm`, `\rm` → `rm`, `$'\x72m'` →
 * `rm`), brace expansion (`/{bin,etc}` → `/bin /etc`), tilde expansion, and `$HOME`, `$PWD` and
 * `$(pwd)` replaced by what the policy knows. Any other expansion makes the word's value unknown;
 * its text keeps the expansion as written (`$X`, `$(date)`), for display and rule matching.
 */
import type { Node } from '../treeSitter';

/** One word of a simple command. */
export interface Word {
  /** Quotes removed, escapes resolved, unknown expansions as written (`$X`, `$(date)`). */
  text: string;
  /** The value when it is fully known (`~` and `$HOME` are the home folder); undefined otherwise. */
  value: string | undefined;
  /** True when unquoted glob characters (`*`, `?`, `[`) make the shell replace it by file names. */
  glob: boolean;
}

/** What expansions know: the home folder and the working directory (undefined when unknown). */
export interface WordEnv {
  home: string | undefined;
  cwd: string | undefined;
  /** Variables assigned earlier in the line (undefined value: assigned, but not statically). */
  vars?: ReadonlyMap<string, string | undefined>;
}

/** One character (or one opaque expansion) of a word, with whether the shell treats it as syntax. */
interface Piece {
  text: string;
  value: string | undefined;
  /** Unquoted and unescaped: subject to brace expansion, globbing and tildes. */
  bare: boolean;
}

/** Brace expansion stops here (bash has no limit; a policy needs one). */
const MAX_EXPANSIONS = 64;
const GLOB_CHARS = new Set(['*', '?', '[']);

/**
 * The words a word node of tree-sitter-bash becomes: usually one; several after brace expansion.
 * @param node a `word`, `string`, `raw_string`, `concatenation`, expansion or substitution node.
 */
export function evaluateWord(node: Node, env: WordEnv): Word[] {
  const pieces = piecesOf(node, env);
  expandTilde(pieces, env);
  const expanded = expandBraces(pieces);
  return expanded.map(toWord);
}

function toWord(pieces: Piece[]): Word {
  let text = '';
  let value: string | undefined = '';
  let glob = false;
  for (const piece of pieces) {
    text += piece.text;
    value = value === undefined || piece.value === undefined ? undefined : value + piece.value;
    if (piece.bare && GLOB_CHARS.has(piece.text)) glob = true;
  }
  return { text, value, glob };
}

function literal(text: string, bare: boolean): Piece[] {
  return [...text].map((char) => ({ text: char, value: char, bare }));
}

function opaque(text: string, value: string | undefined): Piece[] {
  return [{ text, value, bare: false }];
}

function piecesOf(node: Node, env: WordEnv): Piece[] {
  switch (node.type) {
    case 'word':
    case 'number':
      return unquoted(node.text);
    case 'command_name':
      return childPieces(node, env);
    case 'raw_string':
      return literal(node.text.slice(1, -1), false);
    case 'ansi_c_string':
      return literal(decodeAnsiC(node.text.slice(2, -1)), false);
    case 'string':
    case 'translated_string':
      return doubleQuoted(node, env);
    case 'concatenation':
      return childPieces(node, env);
    case 'brace_expression':
      return literal(node.text, true);
    case 'simple_expansion':
    case 'expansion':
      return variable(node, env);
    case 'command_substitution':
      return isPwd(node) ? opaque(node.text, env.cwd) : opaque(node.text, undefined);
    default:
      // process_substitution, arithmetic_expansion and anything else: known only when run.
      return opaque(node.text, undefined);
  }
}

function childPieces(node: Node, env: WordEnv): Piece[] {
  const pieces: Piece[] = [];
  for (const child of node.children) {
    if (child) pieces.push(...piecesOf(child, env));
  }
  return pieces;
}

/** An unquoted word: `\x` is a quoted `x`, a backslash-newline disappears. */
function unquoted(text: string): Piece[] {
  const pieces: Piece[] = [];
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i] ?? '';
    if (char === '\\' && i + 1 < text.length) {
      i += 1;
      if (text[i] !== '\n') pieces.push({ text: text[i] ?? '', value: text[i], bare: false });
    } else {
      pieces.push({ text: char, value: char, bare: true });
    }
  }
  return pieces;
}

/** `"..."`: only `\"`, `\\`, `\$`, `` \` `` and backslash-newline are escapes; expansions inside. */
function doubleQuoted(node: Node, env: WordEnv): Piece[] {
  const pieces: Piece[] = [];
  for (const child of node.children) {
    if (!child || !child.isNamed) continue;
    if (child.type === 'string_content') {
      pieces.push(...literal(child.text.replace(/\\([\\"$`])/g, '$1').replace(/\\\n/g, ''), false));
    } else {
      pieces.push(...piecesOf(child, env).map((piece) => ({ ...piece, bare: false })));
    }
  }
  return pieces;
}

/** `$HOME`, `${PWD}` and variables assigned earlier in the line are known; other variables and operators are not. */
function variable(node: Node, env: WordEnv): Piece[] {
  const named = node.namedChildren;
  const name = named.length === 1 && named[0]?.type === 'variable_name' ? named[0].text : undefined;
  const plain = name !== undefined && (node.type === 'simple_expansion' || node.text === `\${${name}}`);
  if (!plain) return opaque(node.text, undefined);
  if (name === 'HOME') return opaque(node.text, env.home);
  if (env.vars?.has(name)) return opaque(node.text, env.vars.get(name));
  return opaque(node.text, name === 'PWD' ? env.cwd : undefined);
}

/** `$(pwd)` or `` `pwd` ``: the working directory. */
function isPwd(node: Node): boolean {
  return /^(\$\(|`)\s*pwd\s*(\)|`)$/.test(node.text);
}

/**
 * `~` and `~/...` are the home folder, `~+` the working directory, `~root` is `/root` and
 * `~user` is taken as `/home/user` (where Linux puts it; a different home elsewhere is unknown).
 */
function expandTilde(pieces: Piece[], env: WordEnv): void {
  if (pieces[0]?.text !== '~' || !pieces[0].bare) return;
  let end = 1;
  while (end < pieces.length && pieces[end]?.text !== '/') end += 1;
  const user = pieces.slice(1, end);
  const name = user.map((piece) => piece.text).join('');
  let value: string | undefined;
  if (name === '') value = env.home;
  else if (name === '+' && user.every((piece) => piece.bare)) value = env.cwd;
  else if (name === 'root') value = '/root';
  else if (/^[a-z_][a-z0-9_.-]*$/i.test(name) && user.every((piece) => piece.bare)) value = `/home/${name}`;
  pieces.splice(0, end, { text: `~${name}`, value, bare: false });
}

/**
 * Bash's brace expansion over the unquoted braces: `a{b,c}d` → `abd acd`, `{1..3}` → `1 2 3`.
 * Returns the words' pieces; a word past {@link MAX_EXPANSIONS} stays unexpanded and unknown.
 */
function expandBraces(pieces: Piece[]): Piece[][] {
  const results: Piece[][] = [];
  const pending: Piece[][] = [pieces];
  while (pending.length > 0) {
    const current = pending.shift() ?? [];
    const group = findBraceGroup(current);
    if (!group) {
      results.push(current);
      continue;
    }
    for (const alternative of group.alternatives) {
      pending.push([...current.slice(0, group.start), ...alternative, ...current.slice(group.end + 1)]);
    }
    if (results.length + pending.length > MAX_EXPANSIONS) {
      return [[{ text: pieces.map((piece) => piece.text).join(''), value: undefined, bare: false }]];
    }
  }
  return results;
}

interface BraceGroup {
  start: number;
  end: number;
  alternatives: Piece[][];
}

function findBraceGroup(pieces: Piece[]): BraceGroup | undefined {
  for (let start = 0; start < pieces.length; start += 1) {
    if (!isBare(pieces[start], '{')) continue;
    let depth = 0;
    const commas: number[] = [];
    for (let end = start + 1; end < pieces.length; end += 1) {
      if (isBare(pieces[end], '{')) depth += 1;
      else if (isBare(pieces[end], ',') && depth === 0) commas.push(end);
      else if (isBare(pieces[end], '}')) {
        if (depth > 0) {
          depth -= 1;
          continue;
        }
        const inner = pieces.slice(start + 1, end);
        const alternatives = commas.length > 0 ? splitAt(pieces, start, end, commas) : sequence(inner);
        if (alternatives) return { start, end, alternatives };
        break;
      }
    }
  }
  return undefined;
}

function isBare(piece: Piece | undefined, char: string): boolean {
  return piece !== undefined && piece.bare && piece.text === char;
}

function splitAt(pieces: Piece[], start: number, end: number, commas: number[]): Piece[][] {
  const bounds = [start, ...commas, end];
  const parts: Piece[][] = [];
  for (let i = 0; i + 1 < bounds.length; i += 1) parts.push(pieces.slice((bounds[i] ?? 0) + 1, bounds[i + 1]));
  return parts;
}

/** `{1..5}`, `{a..e}`, `{0..10..2}`; undefined when the text is not a sequence. */
function sequence(inner: Piece[]): Piece[][] | undefined {
  if (!inner.every((piece) => piece.bare)) return undefined;
  const match = /^(-?\d+|[a-zA-Z])\.\.(-?\d+|[a-zA-Z])(?:\.\.(-?\d+))?$/.exec(inner.map((piece) => piece.text).join(''));
  if (!match) return undefined;
  const [, from = '', to = '', stepText] = match;
  const numeric = /\d/.test(from);
  if (numeric !== /\d/.test(to)) return undefined;
  const a = numeric ? Number(from) : from.charCodeAt(0);
  const b = numeric ? Number(to) : to.charCodeAt(0);
  const step = Math.max(1, Math.abs(Number(stepText ?? 1)));
  if (Math.abs(b - a) / step > MAX_EXPANSIONS) return [[{ text: `{${inner.map((p) => p.text).join('')}}`, value: undefined, bare: false }]];
  const values: Piece[][] = [];
  for (let n = a; a <= b ? n <= b : n >= b; n += a <= b ? step : -step) {
    values.push(literal(numeric ? String(n) : String.fromCharCode(n), false));
  }
  return values;
}

/** Decodes the body of `$'...'` (bash's ANSI-C quoting). */
function decodeAnsiC(body: string): string {
  const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', v: '\v', '\\': '\\', "'": "'", '"': '"', '?': '?' };
  return body.replace(/\\(x[0-9a-fA-F]{1,2}|u[0-9a-fA-F]{1,4}|U[0-9a-fA-F]{1,8}|[0-7]{1,3}|c.|.)/gs, (whole, escape: string) => {
    const kind = escape[0] ?? '';
    if (kind === 'x' || kind === 'u' || kind === 'U') return String.fromCodePoint(Math.min(parseInt(escape.slice(1), 16), 0x10ffff));
    if (/[0-7]/.test(kind)) return String.fromCharCode(parseInt(escape, 8) & 0xff);
    if (kind === 'c') return String.fromCharCode((escape.charCodeAt(1) & 0x1f));
    return simple[escape] ?? whole;
  });
}
