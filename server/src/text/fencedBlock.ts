/**
 * Models often wrap a whole answer in one Markdown code fence (```` ```text ```` … ```` ``` ````).
 * This reads such a wrapper with `marked`'s lexer (backticks or tildes, three or more, any info
 * string; CommonMark's rules), for the commit message, the pull request text and a reviewer's
 * suggested replacement.
 */
import { Lexer, type Tokens } from 'marked';

/** A code block's opening fence, at its start (CommonMark: up to 3 spaces before it). */
const OPENING_FENCE = /^[ \t]{0,3}(`{3,}|~{3,})/;

/**
 * The content of `text` when all of it (outer blank space aside) is one fenced code block, closed;
 * otherwise undefined. An indented code block, an unclosed fence (which CommonMark runs to the end
 * of the text) or a fence with other text around it are not a wrapper.
 *
 * @returns the lines between the fences as written, without the line break before the closing
 *   fence; '' for an empty block.
 */
export function wholeFencedBlock(text: string): string | undefined {
  const tokens = Lexer.lex(text.trim()).filter((token) => token.type !== 'space');
  if (tokens.length !== 1 || tokens[0]!.type !== 'code') return undefined;
  const block = tokens[0] as Tokens.Code;
  const opening = OPENING_FENCE.exec(block.raw)?.[1];
  if (block.codeBlockStyle === 'indented' || !opening) return undefined;
  // The lexer runs an unclosed fence to the end of the text: closed means its last line is a
  // fence of the same character, at least as long.
  const lastLine = block.raw.trimEnd().split('\n').at(-1)!.trim();
  const closed = lastLine.length >= opening.length && lastLine === opening.charAt(0).repeat(lastLine.length) && block.raw.trimEnd().includes('\n');
  return closed ? block.text : undefined;
}
