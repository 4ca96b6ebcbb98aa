/**
 * Reads the findings out of a reviewer's final answer. The review task asks for one fenced
 * ```` ```json ```` block holding one finding object per line (JSON Lines), or an empty block for
 * none; a JSON array or `{"findings": [...]}` in the block is taken too, and so is an answer that
 * is only JSON. Each finding is parsed alone, so that one malformed line costs that finding only.
 * Markdown is read with `marked`'s lexer (a code block may sit in a list or a quote, and its fence
 * may be backticks or tildes, longer than three).
 */
import { Lexer, type Token, type Tokens } from 'marked';

/** One finding's text as the reviewer wrote it, with its JSON value or why it is not JSON. */
export type AnswerItem = { text: string; value: unknown } | { text: string; error: string };

/** Info strings of a code block that say it holds JSON or JSON Lines. */
const JSON_LANGUAGES = new Set(['json', 'jsonl', 'jsonlines', 'json-lines', 'ndjson', 'json5']);

/** An answer that says in words that there is nothing to report, without a block. */
const NO_FINDINGS = /\b(no (findings|issues|problems|bugs|defects)|nothing to report|found nothing)\b/i;

/** Answers longer than this are never taken as "no findings" in words (characters). */
const NO_FINDINGS_MAX_CHARS = 400;

/**
 * The findings of an answer, each not yet validated.
 *
 * @param answer the reviewer's final answer (Markdown).
 * @returns the items of the last JSON code block (`json`, `jsonl`, `ndjson`..., or an untagged
 *   block that starts like JSON; `[]` for an empty one), else of the whole answer when it is JSON
 *   or JSON Lines; `[]` when a short answer says in words that there are no findings; undefined
 *   when the answer holds no findings at all.
 */
export function readAnswerItems(answer: string): AnswerItem[] | undefined {
  const block = lastJsonBlock(answer);
  if (block !== undefined) return itemsOf(block);
  const trimmed = answer.trim();
  const nonBlank = trimmed.split(/\r?\n/).filter((line) => line.trim() !== '');
  if (nonBlank.length > 0 && (parseJson(trimmed).ok || nonBlank.every((line) => line.trimStart().startsWith('{')))) return itemsOf(trimmed);
  if (trimmed.length <= NO_FINDINGS_MAX_CHARS && NO_FINDINGS.test(trimmed)) return [];
  return undefined;
}

/** The text of the answer's last code block that holds JSON, or undefined. */
function lastJsonBlock(answer: string): string | undefined {
  const blocks: Tokens.Code[] = [];
  const visit = (tokens: Token[]): void => {
    for (const token of tokens) {
      if (token.type === 'code') blocks.push(token as Tokens.Code);
      if ('tokens' in token && Array.isArray(token.tokens)) visit(token.tokens);
      if (token.type === 'list') for (const item of (token as Tokens.List).items) visit(item.tokens);
    }
  };
  try {
    visit(Lexer.lex(answer));
  } catch (error) {
    // marked recurses on nested quotes and lists: a few KB of `>` overflow its stack. Such an
    // answer has no block to read; the whole answer is still tried as JSON.
    if (error instanceof RangeError) return undefined;
    throw error;
  }
  const tagged = blocks.filter((block) => JSON_LANGUAGES.has((block.lang ?? '').trim().toLowerCase()));
  if (tagged.length > 0) return tagged.at(-1)!.text;
  const untagged = blocks.filter((block) => (block.lang ?? '').trim() === '' && /^\s*([[{]|$)/.test(block.text));
  return untagged.at(-1)?.text;
}

/** The items of a block's text: a JSON document (array, `{findings}`, one object) or JSON Lines. */
function itemsOf(text: string): AnswerItem[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  const whole = parseJson(trimmed);
  if (whole.ok) return itemsOfValue(whole.value, trimmed);
  const lines = trimmed.split(/\r?\n/).filter((line) => line.trim() !== '');
  if (lines.every((line) => line.trimStart().startsWith('{'))) return lines.map((line) => itemOf(line.trim().replace(/,$/, '')));
  // A pretty-printed array or object list with a broken member: each top-level object alone.
  return topLevelObjects(trimmed).map(itemOf);
}

function itemsOfValue(value: unknown, text: string): AnswerItem[] {
  const list: unknown = Array.isArray(value) ? value : isRecord(value) && 'findings' in value ? value.findings : [value];
  if (!Array.isArray(list)) return [{ text, error: '"findings" must be a list of finding objects' }];
  return (list as unknown[]).map((entry) => ({ text: JSON.stringify(entry), value: entry }));
}

function itemOf(text: string): AnswerItem {
  const parsed = parseJson(text);
  return parsed.ok ? { text, value: parsed.value } : { text, error: `not valid JSON: ${parsed.error}` };
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `{"findings": [` at the start of a wrapper object. */
const WRAPPER_START = /^\{\s*"findings"\s*:\s*\[/;

/**
 * The `{...}` spans of `text` that no other object holds (those inside arrays included), found by
 * matching braces outside JSON strings; a `{"findings": [...]}` wrapper is opened. An unclosed
 * object runs to the end of the text.
 */
export function topLevelObjects(text: string): string[] {
  const spans: string[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (inString) {
      if (char === '\\') index += 1;
      else if (char === '"') inString = false;
    } else if (char === '"') {
      inString = true;
    } else if (char === '{') {
      if (depth === 0) start = index;
      depth += 1;
    } else if (char === '}' && depth > 0) {
      depth -= 1;
      if (depth === 0) spans.push(text.slice(start, index + 1));
    }
  }
  if (depth > 0) spans.push(text.slice(start));
  if (spans.length === 1 && WRAPPER_START.test(spans[0]!)) {
    const inner = spans[0]!.replace(WRAPPER_START, '');
    return topLevelObjects(inner);
  }
  return spans;
}
