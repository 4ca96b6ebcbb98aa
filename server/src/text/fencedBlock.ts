/**
 * Models often wrap a whole answer in one Markdown code fence (```` ```text ```` … ```` ``` ````):
 * the commit message, the pull request text, a reviewer's suggested replacement. This takes such
 * a wrapper off.
 *
 * It is not a Markdown parser, on purpose, and not `marked`'s lexer: a model's wrapper often holds
 * fences of the same length inside it (a PR body with a ```` ```bash ```` example), which
 * CommonMark would close early, and its closing fence may be indented by as much as the code;
 * a lexer also recurses on nested quotes and lists (a few KB of `>` overflow marked's stack). Only
 * the first and the last line are read.
 */

/** An opening fence: three or more backticks or tildes, then an info string. */
const OPENING_FENCE = /^(`{3,}|~{3,})[^\n]*$/;

/**
 * The content of `text` when all of it (outer blank space aside) is wrapped in one fence: its first
 * line opens a fence, and its last line is only a fence of the same character, at least as long
 * (at any indentation); otherwise undefined.
 *
 * @returns the lines between the two fence lines as written (joined with `\n`); '' for none.
 */
export function wholeFencedBlock(text: string): string | undefined {
  const lines = text.trim().split(/\r?\n/);
  if (lines.length < 2) return undefined;
  const opening = OPENING_FENCE.exec(lines[0]!)?.[1];
  if (!opening) return undefined;
  const closing = lines.at(-1)!.trim();
  if (closing.length < opening.length || closing !== opening.charAt(0).repeat(closing.length)) return undefined;
  return lines.slice(1, -1).join('\n');
}
