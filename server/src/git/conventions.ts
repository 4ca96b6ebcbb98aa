/**
 * A repository's commit message conventions, in the order they win: the language setting
 * (`moco.git.commitLanguage`), a commitlint configuration, a commit template, and the style of the
 * recent commits. Read together, and written as the instructions part of a prompt.
 */
import { findCommitlintConfig, type CommitlintConfig } from './commitlintConfig';
import { describeRules } from './commitlintRules';
import { findCommitTemplate, type CommitTemplate } from './commitTemplate';
import { readHistoryStyle, type HistoryStyle, type NameCount } from './historyStyle';

/** What a repository says about how its commit messages look. */
export interface CommitConventions {
  commitlint?: CommitlintConfig;
  template?: CommitTemplate;
  /** Why a template there was not read (a sentence for the user's notes). */
  templateSkipped?: string;
  history: HistoryStyle;
}

/**
 * Reads the conventions of the repository at `root`. `hasCommits` undefined: not known yet (see
 * `readHistoryStyle`).
 * @throws the signal's reason when aborted.
 */
export async function readConventions(root: string, hasCommits: boolean | undefined, signal: AbortSignal): Promise<CommitConventions> {
  const [commitlint, template, history] = await Promise.all([
    findCommitlintConfig(root, signal),
    findCommitTemplate(root, signal),
    readHistoryStyle(root, hasCommits, signal),
  ]);
  return {
    ...(commitlint ? { commitlint } : {}),
    ...(template && 'text' in template ? { template } : {}),
    ...(template && 'skipped' in template ? { templateSkipped: template.skipped } : {}),
    history,
  };
}

function names(counts: NameCount[]): string {
  return counts.map(({ name, count }) => `${name} (${count})`).join(', ');
}

function languageLine(language: string | undefined, history: HistoryStyle): string {
  if (language && language.trim() !== '') return `- Write the message in ${language.trim()}.`;
  if (history.count === 0) return '- Write the message in English.';
  return '- Write the message in the language of the recent commits below (English when they mix languages).';
}

function commitlintLines(config: CommitlintConfig): string[] {
  if (config.programText !== undefined) {
    return [
      `- The repository has a commitlint configuration, ${config.file}. It is a program, which was not run; follow the rules its text sets:`,
      '```',
      config.programText,
      '```',
    ];
  }
  const rules = describeRules(config.rules);
  if (rules.length === 0) return [];
  return [`- The message must pass the repository's commitlint rules (${config.file}):`, ...rules.map((rule) => `  - ${rule}`)];
}

function historyLines(history: HistoryStyle): string[] {
  if (history.count === 0) return ['- This is the repository\'s first commit.'];
  const lines: string[] = [];
  if (history.conventional) {
    lines.push(
      `- The recent commits follow Conventional Commits (${history.conventionalCount} of the last ${history.count}): write "type(scope): subject" the same way.`,
    );
    if (history.types.length > 0) lines.push(`  Types they use: ${names(history.types)}.`);
    if (history.scopes.length > 0) lines.push(`  Scopes they use: ${names(history.scopes)}.`);
  } else {
    lines.push('- Follow the style of the recent commits (their length, mood and capitalisation).');
  }
  lines.push('- Recent commit subjects, newest first:', ...history.subjects.map((subject) => `  - ${subject}`));
  return lines;
}

/**
 * The conventions as prompt lines, most binding first: language, commitlint rules, the template
 * to fill, the recent commits' style and subjects.
 * @param language `moco.git.commitLanguage`; absent or '' for the recent commits' language.
 */
export function describeConventions(conventions: CommitConventions, language: string | undefined): string {
  const lines = [languageLine(language, conventions.history)];
  if (conventions.commitlint) lines.push(...commitlintLines(conventions.commitlint));
  if (conventions.template) {
    lines.push(`- Fill the repository's commit template (${conventions.template.source}); keep its headings and order:`, '```', conventions.template.text, '```');
  }
  lines.push(...historyLines(conventions.history));
  return lines.join('\n');
}
