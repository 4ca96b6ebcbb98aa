/**
 * Cleaning a model's answer into a commit message: what goes into the SCM input box or `git commit`.
 */
import { wholeFencedBlock } from '../text/fencedBlock';

/** A label before the message: `Commit message:`, `**Commit message:**`, `Message:`. */
const LABEL = /^(?:\*\*|__)?(?:suggested |proposed )?(?:git )?(?:commit message|message)(?:\*\*|__)?\s*:\s*?(?:\*\*|__)?[ \t]*\n?/i;

/**
 * The message in a model's answer: one enclosing code fence removed, a leading "Commit message:"
 * label removed, trailing spaces of each line removed, runs of blank lines made one, a blank line
 * put between the subject and the body when the model left it out, no blank lines or newline at
 * the ends.
 */
export function cleanMessage(answer: string): string {
  let text = answer.replace(/\r\n/g, '\n').trim();
  text = wholeFencedBlock(text)?.trim() ?? text;
  const label = LABEL.exec(text);
  if (label) text = text.slice(label[0].length).trim();
  text = wholeFencedBlock(text)?.trim() ?? text;
  const lines = text.split('\n').map((line) => line.replace(/\s+$/, ''));
  if (lines.length > 1 && lines[1] !== '') lines.splice(1, 0, '');
  return lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
