/**
 * commitlint rules in words for the model, and the check of a written message with
 * `@commitlint/lint` against the same rules (parsed as Conventional Commits). Rule names and
 * meanings: https://commitlint.js.org/reference/rules.html.
 */
import lint from '@commitlint/lint';
import commitlintRules from '@commitlint/rules';
import type { RuleConfig } from './commitlintConfig';

/**
 * Conventional Commits parser options, as `conventional-changelog-conventionalcommits` (the parser
 * preset of `@commitlint/config-conventional`) gives them: `type(scope)!: subject`, breaking-change
 * notes. Shared by the lint and the history's style detection.
 */
export const CONVENTIONAL_PARSER_OPTIONS = {
  headerPattern: /^(\w*)(?:\((.*)\))?!?: (.*)$/,
  breakingHeaderPattern: /^(\w*)(?:\((.*)\))?!: (.*)$/,
  headerCorrespondence: ['type', 'scope', 'subject'],
  noteKeywords: ['BREAKING CHANGE', 'BREAKING-CHANGE'],
  revertPattern: /^(?:Revert|revert:)\s"?([\s\S]+?)"?\s*This reverts commit (\w*)\./i,
  revertCorrespondence: ['header', 'hash'],
  issuePrefixes: ['#'],
};

function list(value: unknown): string {
  const items = Array.isArray(value) ? value.map(String) : [String(value)];
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)!}`;
}

/** The part of the message a rule is about, by its name's first word. */
const PARTS: Record<string, string> = {
  type: 'the type',
  scope: 'the scope',
  subject: 'the subject',
  header: 'the header (first line)',
  body: 'the body',
  footer: 'the footer',
};

/** One rule in words, or undefined for a rule that is off. `must` for errors, `should` for warnings. */
export function describeRule(name: string, [level, when, value]: RuleConfig): string | undefined {
  if (level === 0) return undefined;
  const must = level === 2 ? 'must' : 'should';
  const not = when === 'never' ? ' not' : '';
  const dash = name.indexOf('-');
  const part = PARTS[name.slice(0, dash)] ?? name.slice(0, dash);
  const kind = name.slice(dash + 1);
  const sentence = (text: string): string => `${text.charAt(0).toUpperCase()}${text.slice(1)} (${name}).`;
  switch (kind) {
    case 'enum':
      return sentence(`${part}${part === 'the scope' ? ', when there is one,' : ''} ${must}${not} be one of: ${list(value)}`);
    case 'empty':
      return sentence(when === 'never' ? `${part} ${must} be present` : `${part} ${must} be left out`);
    case 'case':
      return sentence(`${part} ${must}${not} be in ${list(value)}`);
    case 'max-length':
      return sentence(`${part} ${must} be at most ${String(value)} characters long`);
    case 'min-length':
      return sentence(`${part} ${must} be at least ${String(value)} characters long`);
    case 'max-line-length':
      return sentence(`each line of ${part} ${must} be at most ${String(value)} characters long`);
    case 'full-stop':
      return sentence(`${part} ${must}${not} end with "${typeof value === 'string' ? value : '.'}"`);
    case 'leading-blank':
      return sentence(`${part} ${must}${not} start after a blank line`);
    case 'trim':
      return sentence(`${part} ${must}${not} have no spaces at its start or end`);
    default:
      if (name === 'references-empty') return sentence(when === 'never' ? `the message ${must} reference an issue, for example #123` : `the message ${must} not reference issues`);
      if (name === 'signed-off-by' || name === 'trailer-exists') return sentence(`the message ${must}${not} end with a "${String(value)}" trailer`);
      return `${name}: ${when ?? 'always'}${value === undefined ? '' : ` ${JSON.stringify(value)}`} (${level === 2 ? 'error' : 'warning'}).`;
  }
}

/** The rules that are on, in words, one sentence each. */
export function describeRules(rules: Record<string, RuleConfig>): string[] {
  return Object.entries(rules)
    .map(([name, config]) => describeRule(name, config))
    .filter((line): line is string => line !== undefined);
}

/**
 * Checks `message` against `rules` with `@commitlint/lint`; one sentence per broken rule,
 * `commitlint header-max-length: header must not be longer than 72 characters, current length is 80`,
 * warnings marked as such. Rules commitlint does not implement (a plugin's) are skipped and said.
 */
export async function lintMessage(message: string, rules: Record<string, RuleConfig>): Promise<string[]> {
  const known: Record<string, RuleConfig> = {};
  const unknown: string[] = [];
  for (const [name, config] of Object.entries(rules)) {
    if (name in commitlintRules) known[name] = config;
    else unknown.push(name);
  }
  const outcome = await lint(message, known as unknown as Parameters<typeof lint>[1], { parserOpts: CONVENTIONAL_PARSER_OPTIONS, defaultIgnores: true });
  const notes = [
    ...outcome.errors.map((problem) => `commitlint ${problem.name}: ${problem.message}.`),
    ...outcome.warnings.map((problem) => `commitlint ${problem.name} (warning): ${problem.message}.`),
  ];
  if (unknown.length > 0) notes.push(`commitlint rules from plugins were not checked: ${unknown.join(', ')}.`);
  return notes;
}
