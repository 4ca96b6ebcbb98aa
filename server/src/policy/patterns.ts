/**
 * User rule patterns (settings, profile, policy file, session): command prefixes with picomatch
 * globs, matched against the normalised text of one simple command (`git log --oneline`).
 *
 * - A pattern matches the whole command text; `*` matches anything, spaces and `/` included
 *   (picomatch's `bash` mode), `?`, `[abc]` and `{a,b}` as in globs, `\*` a literal star.
 * - A trailing ` *` means "and any further arguments": `git log *` matches `git log` too.
 * - A trailing `*` right after a word is read strictly, in the direction that is safe:
 *   - in an `allow` rule it stops at a word boundary: `git log*` allows `git log` and
 *     `git log --oneline`, not `git logout-everything`;
 *   - in an `ask` or `deny` rule it matches inside the word too: `git push --force*` also
 *     catches `git push --force-with-lease`.
 * - Runs of spaces in a pattern count as one space; a pattern of only `*` matches every command.
 */
import picomatch from 'picomatch';
import type { PolicyDecision } from './types';

/** A compiled pattern: true when it matches the command text. */
export type PatternMatcher = (text: string) => boolean;

const OPTIONS: picomatch.PicomatchOptions = { bash: true, dot: true, nonegate: true, windows: false };

/**
 * Compiles a rule pattern for its decision (see the module's comment for the semantics).
 * @throws {Error} when the pattern is empty.
 */
export function compilePattern(pattern: string, decision: PolicyDecision): PatternMatcher {
  const normal = normalisePattern(pattern);
  if (normal === '') throw new Error('a rule pattern is empty; write a command prefix such as "git log*"');
  if (/^\*+$/.test(normal)) return () => true;
  const spaceStar = normal.endsWith(' *');
  const wordStar = !spaceStar && decision === 'allow' && /[^\\*]\*$/.test(normal);
  if (!spaceStar && !wordStar) return picomatch(normal, OPTIONS);
  const base = normal.slice(0, spaceStar ? -2 : -1);
  const exact = picomatch(base, OPTIONS);
  const longer = picomatch(`${base} *`, OPTIONS);
  return (text) => exact(text) || longer(text);
}

/** Trims a pattern and collapses runs of whitespace into one space. */
export function normalisePattern(pattern: string): string {
  return pattern.trim().replace(/\s+/g, ' ');
}

/** Escapes glob characters, so that a command's text becomes a pattern matching exactly it. */
export function escapeGlob(text: string): string {
  return text.replace(/[\\*?[\]{}()!+@]/g, '\\$&');
}
