/**
 * The style of a repository's recent commits: whether most follow Conventional Commits (parsed
 * with `conventional-commits-parser`), with the types and scopes they use, and their subjects as
 * examples (from which the model also takes their language).
 *
 * `conventional-commits-parser` (like `@commitlint/*`) is an ES module with only an `import`
 * export: the esbuild bundles and vitest load it, a `tsx` script in this CommonJS package cannot
 * (tsx turns the package's ES modules into CommonJS). Scripts use `dist/engine.js` instead.
 */
import { CommitParser } from 'conventional-commits-parser';
import { CONVENTIONAL_PARSER_OPTIONS } from './commitlintRules';
import { runGit } from './gitClient';

/** Commits read (merges left out). */
export const HISTORY_COUNT = 20;
/** Subjects given to the model as examples. */
const EXAMPLE_COUNT = 10;
/** Characters of one example subject. */
const EXAMPLE_MAX_CHARS = 120;

/** A name with how many commits used it. */
export interface NameCount {
  name: string;
  count: number;
}

/** The style of the recent commits. */
export interface HistoryStyle {
  /** Commits read (at most {@link HISTORY_COUNT}). */
  count: number;
  /** Commits whose header is a Conventional Commits header (`type(scope)!: subject`). */
  conventionalCount: number;
  /** True when more than half of them are. */
  conventional: boolean;
  /** Types used, most used first. */
  types: NameCount[];
  /** Scopes used, most used first. */
  scopes: NameCount[];
  /** The newest subjects, newest first. */
  subjects: string[];
}

function tally(names: string[]): NameCount[] {
  const counts = new Map<string, number>();
  for (const name of names) counts.set(name, (counts.get(name) ?? 0) + 1);
  return [...counts].map(([name, count]) => ({ name, count })).sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
}

/** The style of `messages` (full commit messages, newest first). */
export function analyseMessages(messages: string[]): HistoryStyle {
  const parser = new CommitParser(CONVENTIONAL_PARSER_OPTIONS);
  const types: string[] = [];
  const scopes: string[] = [];
  let conventionalCount = 0;
  for (const message of messages) {
    const commit = parser.parse(message);
    if (!commit.type) continue;
    conventionalCount++;
    types.push(commit.type.toLowerCase());
    if (commit.scope) scopes.push(commit.scope);
  }
  const subjects = messages
    .map((message) => message.trimStart().split('\n', 1)[0]!.trim())
    .filter((subject) => subject !== '')
    .slice(0, EXAMPLE_COUNT)
    .map((subject) => (subject.length > EXAMPLE_MAX_CHARS ? `${subject.slice(0, EXAMPLE_MAX_CHARS)}…` : subject));
  return {
    count: messages.length,
    conventionalCount,
    conventional: conventionalCount * 2 > messages.length,
    types: tally(types),
    scopes: tally(scopes),
    subjects,
  };
}

/**
 * The style of the last {@link HISTORY_COUNT} commits before HEAD, merges left out; an empty
 * style (count 0) in a repository without commits. `hasCommits` undefined: not known yet, so
 * `git log` is tried, and its failure on an unborn branch read as no commits.
 * @throws the signal's reason when aborted.
 */
export async function readHistoryStyle(root: string, hasCommits: boolean | undefined, signal: AbortSignal): Promise<HistoryStyle> {
  if (hasCommits === false) return analyseMessages([]);
  // Each message after a record separator (%x1e), raw (%B).
  const args = ['log', `--max-count=${HISTORY_COUNT}`, '--no-merges', '--format=%x1e%B', 'HEAD', '--'];
  const out = await runGit(root, args, signal).catch((error: unknown) => {
    signal.throwIfAborted();
    if (hasCommits === undefined) return '';
    throw error;
  });
  const messages = out
    .split('\x1e')
    .map((message) => message.trim())
    .filter((message) => message !== '');
  return analyseMessages(messages);
}
