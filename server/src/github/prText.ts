/**
 * The title and body of a pull request, written by a model from the commits and the diff: the
 * prompt, and the parsing of the answer. The answer's format is the one `git commit` uses (the
 * first line the title, a blank line, the body), which models write reliably; fences, a `Title:`
 * label or a Markdown heading around it are tolerated.
 */
import type { ChatMessage } from '../../../protocol/run';
import type { PullRequestTemplate } from './template';
import { wholeFencedBlock } from '../text/fencedBlock';

/** GitHub's limit on a pull request title (characters). */
export const TITLE_MAX_CHARS = 256;

/** What the model is given. */
export interface PullRequestPromptInput {
  /** Head branch. */
  branch: string;
  /** Base branch. */
  base: string;
  /** `git log base..head`: one entry per commit, newest first, subject and body. */
  commits: { subject: string; body: string }[];
  /** The diff between base and head, cut to fit (diffSection's text). */
  diff: string;
  /** Things said about the diff (cut, summarised files), one sentence each. */
  diffNotes: string[];
  template?: PullRequestTemplate;
  /** The language to write in; absent for the commits' language. */
  language?: string;
}

/** The system and user messages of the call. */
export function pullRequestPrompt(input: PullRequestPromptInput): ChatMessage[] {
  const rules = [
    'You write the title and description of a GitHub pull request from its commits and its diff.',
    'Answer with the title on the first line (plain text, no "Title:" label, no Markdown heading, at most 72 characters if you can), then one blank line, then the description in GitHub Markdown.',
    'Describe what the change does and why, as the commits and the diff show it; name the main changes as a short list. Do not invent tests, issues, benchmarks or reasons that the commits and the diff do not show.',
    'Do not wrap the answer in code fences and add nothing before the title or after the description.',
    input.language ? `Write the title and the description in ${input.language}.` : 'Write in the language of the commit messages (English when unsure).',
  ];
  if (input.template) {
    rules.push(
      `The repository has a pull request template (${input.template.path}). The description must be that template filled in: keep its headings and their order, write each section's content under its heading, and keep its checklists, ticking a box ("- [x]") only when the commits or the diff show it is true and leaving it unticked ("- [ ]") otherwise. Replace the template's HTML comments (<!-- ... -->) with the content they ask for.`,
    );
  }
  const commits = input.commits
    .map((commit) => `- ${commit.subject}${commit.body.trim() ? `\n${indent(commit.body.trim())}` : ''}`)
    .join('\n');
  const parts = [
    `Pull request: ${input.branch} into ${input.base}.`,
    `Commits (${input.commits.length}, newest first):\n${commits}`,
    `Diff:\n${input.diff.trim() || '(empty)'}`,
  ];
  if (input.diffNotes.length > 0) parts.push(`About the diff: ${input.diffNotes.join(' ')}`);
  if (input.template) parts.push(`Template (${input.template.path}):\n${input.template.text}`);
  return [
    { role: 'system', content: rules.join('\n') },
    { role: 'user', content: parts.join('\n\n') },
  ];
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}

/**
 * Title and body from the model's answer: a lead-in line ending with ":" and fences around the
 * whole answer removed, the first
 * non-empty line the title (without `Title:`, `#` or surrounding quotes or `**`), the rest the body
 * (without a leading `Body:` / `Description:` label).
 * @returns undefined when the answer holds no title.
 */
export function parsePullRequestText(answer: string): { title: string; body: string } | undefined {
  let text = unfence(answer.replace(/\r\n/g, '\n').trim());
  // A lead-in such as "Here is the pull request:" before the answer proper.
  const leadIn = /^[^\n]*:\s*\n+(\S[\s\S]*)$/.exec(text);
  if (leadIn?.[1] && !/^\s*(\*\*)?(pr |pull request )?title\b/i.test(text)) text = unfence(leadIn[1].trim());
  const lines = text.split('\n');
  const first = lines.findIndex((line) => line.trim() !== '');
  if (first === -1) return undefined;
  const title = cleanTitle(lines[first] ?? '');
  if (!title) return undefined;
  const body = lines
    .slice(first + 1)
    .join('\n')
    .trim()
    .replace(/^(\*\*)?(body|description)(:\*\*|\*\*:|:)[ \t]*\n?/i, '')
    .trim();
  return { title, body };
}

/** The answer without one pair of code fences around all of it (```markdown ... ```). */
function unfence(text: string): string {
  return wholeFencedBlock(text)?.trim() ?? text;
}

function cleanTitle(line: string): string {
  let title = line.trim().replace(/^#{1,6}\s+/, '');
  title = title.replace(/^(\*\*)?(pr |pull request )?title(:\*\*|\*\*:|:)\s*/i, '');
  title = title.replace(/^\*\*(.*)\*\*$/, '$1').replace(/^["'`](.*)["'`]$/, '$1').trim();
  if (/^[`~*#"'\s-]*$/.test(title)) return '';
  return title.length > TITLE_MAX_CHARS ? `${title.slice(0, TITLE_MAX_CHARS - 1)}…` : title;
}

/** A branch name part from a commit subject: `moco/<slug>` uses it. Lowercase ASCII words joined by `-`, at most 48 characters. */
export function branchSlug(subject: string): string {
  const words = subject
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const cut = words.length > 48 ? words.slice(0, 48).replace(/-[^-]*$/, '') : words;
  return cut || 'changes';
}
