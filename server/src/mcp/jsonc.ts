/**
 * JSON with comments and trailing commas, as VS Code reads its `.json` configuration files, parsed
 * with `jsonc-parser` (VS Code's own parser). Errors name the file, the line and the column.
 */
import { findNodeAtLocation, getNodeValue, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';

/** A parsed file: its value, and a way to find the line of a value for messages. */
export interface JsoncDocument {
  value: unknown;
  /** 1-based line of the value at `path` (object keys and array indexes), or undefined when absent. */
  lineOf(path: ReadonlyArray<string | number>): number | undefined;
}

/** Words for jsonc-parser's error codes. */
const PROBLEMS: Record<string, string> = {
  InvalidSymbol: 'an unexpected character',
  InvalidNumberFormat: 'a malformed number',
  PropertyNameExpected: 'a missing property name (keys need double quotes)',
  ValueExpected: 'a missing value',
  ColonExpected: 'a missing colon after a key',
  CommaExpected: 'a missing comma',
  CloseBraceExpected: 'a missing }',
  CloseBracketExpected: 'a missing ]',
  EndOfFileExpected: 'text after the end of the JSON value',
  InvalidCommentToken: 'a malformed comment',
  UnexpectedEndOfComment: 'an unclosed /* comment',
  UnexpectedEndOfString: 'an unclosed string',
  UnexpectedEndOfNumber: 'an unfinished number',
  InvalidUnicode: 'a malformed \\u escape',
  InvalidEscapeCharacter: 'a malformed escape in a string',
  InvalidCharacter: 'a character not allowed in a string',
};

/**
 * Parses `text` (the content of `file`).
 *
 * @returns the document, or a message `<file>:<line>:<column>: <problem>; <what to do>` for the
 *   first syntax error.
 */
export function parseJsonc(file: string, text: string): { ok: true; document: JsoncDocument } | { ok: false; message: string } {
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true });
  const [first] = errors;
  if (first) {
    const { line, column } = position(text, first.offset);
    const code = printParseErrorCode(first.error);
    return {
      ok: false,
      message: `${file}:${line}:${column}: the JSON is malformed: ${PROBLEMS[code] ?? code}. Fix the file (comments and trailing commas are allowed).`,
    };
  }
  return { ok: true, document: { value: tree ? (getNodeValue(tree) as unknown) : undefined, lineOf: (path) => lineOf(text, tree, path) } };
}

function lineOf(text: string, tree: Node | undefined, path: ReadonlyArray<string | number>): number | undefined {
  if (!tree) return undefined;
  for (let length = path.length; length >= 0; length -= 1) {
    const node = findNodeAtLocation(tree, path.slice(0, length));
    if (node) return position(text, node.offset).line;
  }
  return undefined;
}

function position(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return { line, column };
}
