/**
 * A repository's commitlint configuration, found with lilconfig in commitlint's own search places
 * at the repository's root. JSON and YAML configurations are parsed, and
 * `extends: ['@commitlint/config-conventional']` is resolved from the bundled package.
 * JavaScript and TypeScript configurations are NOT executed (they are workspace code, and running
 * them would let a repository run a program when MOCO writes a message): their text, cut to
 * {@link JS_CONFIG_MAX_CHARS}, is given to the model instead, and the message is not linted.
 * `@commitlint/load` is not used: it pulls in TypeScript and breaks in the CJS bundle.
 * Only the repository's own files are read (repositoryFiles.ts): a search place that links outside
 * the repository, or to a file git does not track, is not read, and the user is told.
 */
import * as path from 'node:path';
import conventionalConfig from '@commitlint/config-conventional';
import { lilconfig, type LilconfigResult, type Loader } from 'lilconfig';
import { parse as parseYaml } from 'yaml';
import { confinedFile, REFUSED_WORDS, type RefusedReason } from './repositoryFiles';

/** `[level, when, value]`: level 0 off, 1 warning, 2 error (https://commitlint.js.org/reference/rules-configuration.html). */
export type RuleConfig = [0 | 1 | 2, ('always' | 'never')?, unknown?];

/** A repository's commitlint configuration as MOCO understands it. */
export interface CommitlintConfig {
  /** Repository-relative path of the file, or `package.json` for its `commitlint` field. */
  file: string;
  /** The rules, extended ones first and the file's own over them; {} when unknown. */
  rules: Record<string, RuleConfig>;
  /** The text of a JavaScript or TypeScript configuration, which is not run; cut to {@link JS_CONFIG_MAX_CHARS}. */
  programText?: string;
  /** Sentences for the user: extends MOCO cannot resolve, rules it skipped, a file it cannot read. */
  problems: string[];
}

/**
 * commitlint's search places, in its order (@commitlint/load's cosmiconfig `searchPlaces`,
 * https://commitlint.js.org/reference/configuration.html#config-via-file).
 */
export const COMMITLINT_SEARCH_PLACES = [
  'package.json',
  '.commitlintrc',
  '.commitlintrc.json',
  '.commitlintrc.yaml',
  '.commitlintrc.yml',
  '.commitlintrc.js',
  '.commitlintrc.cjs',
  '.commitlintrc.mjs',
  'commitlint.config.js',
  'commitlint.config.cjs',
  'commitlint.config.mjs',
  '.commitlintrc.ts',
  '.commitlintrc.cts',
  'commitlint.config.ts',
  'commitlint.config.cts',
];

/** Characters of a JavaScript or TypeScript configuration given to the model. */
export const JS_CONFIG_MAX_CHARS = 2048;

/** The shareable configs MOCO bundles, by the names `extends` may give. */
const BUNDLED: Record<string, { rules?: Record<string, unknown> }> = {
  '@commitlint/config-conventional': conventionalConfig,
};

/** Marks a loaded program's text (a JS/TS configuration), which is not run. */
const PROGRAM = Symbol('program text');

/** A loader that parses, and names the file when it cannot. */
function readable(parse: (content: string) => unknown): Loader {
  return (file, content) => {
    try {
      return parse(content);
    } catch (error) {
      throw new Error(`${path.basename(file)} is not valid: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  };
}

const programLoader: Loader = (_file, content) => ({ [PROGRAM]: content });

const LOADERS: Record<string, Loader> = {
  '.json': readable((content) => JSON.parse(content) as unknown),
  '.yaml': readable(parseYaml),
  '.yml': readable(parseYaml),
  noExt: readable(parseYaml), // `.commitlintrc`: YAML or JSON; JSON is YAML
  '.js': programLoader,
  '.cjs': programLoader,
  '.mjs': programLoader,
  '.ts': programLoader,
  '.cts': programLoader,
};

/** Checks one rule's shape as @commitlint/lint does; a sentence when it is not valid. */
function ruleProblem(name: string, config: unknown): string | undefined {
  if (!Array.isArray(config)) return `rule ${name} is not a list [level, when, value]`;
  const [level, when] = config as unknown[];
  if (level === 0) return undefined;
  if (level !== 1 && level !== 2) return `rule ${name} has level ${JSON.stringify(level)} (0, 1 or 2 expected)`;
  if (when !== 'always' && when !== 'never') return `rule ${name} has condition ${JSON.stringify(when)} ("always" or "never" expected)`;
  if (config.length > 3) return `rule ${name} has more than 3 items`;
  return undefined;
}

function addRules(into: Record<string, RuleConfig>, rules: unknown, problems: string[]): void {
  if (rules === undefined || rules === null) return;
  if (typeof rules !== 'object' || Array.isArray(rules)) {
    problems.push('its "rules" is not a map of rule names; they were not used.');
    return;
  }
  for (const [name, config] of Object.entries(rules as Record<string, unknown>)) {
    const problem = ruleProblem(name, config);
    if (problem) problems.push(`${problem}; it was not used.`);
    else into[name] = config as RuleConfig;
  }
}

/** The rules of a parsed JSON/YAML configuration, with its `extends` resolved from the bundled configs. */
function resolveRules(config: Record<string, unknown>, problems: string[]): Record<string, RuleConfig> {
  const rules: Record<string, RuleConfig> = {};
  const extended = config.extends === undefined ? [] : Array.isArray(config.extends) ? config.extends : [config.extends];
  for (const name of extended) {
    const bundled = typeof name === 'string' ? BUNDLED[name] : undefined;
    if (bundled) addRules(rules, bundled.rules, problems);
    else problems.push(`It extends ${JSON.stringify(name)}, which MOCO does not bundle: those rules are not known or checked.`);
  }
  addRules(rules, config.rules, problems);
  return rules;
}

/**
 * The search places at `root` that may be read (the repository's own files, or missing ones), and
 * the first that may not, which commitlint would read when no allowed place before it holds a
 * configuration. `package.json` is left out quietly when it may not be read: most have no
 * `commitlint` field.
 */
async function searchablePlaces(root: string, signal: AbortSignal): Promise<{ places: string[]; refused?: { place: string; reason: Exclude<RefusedReason, 'missing'> } }> {
  const checked = await Promise.all(COMMITLINT_SEARCH_PLACES.map(async (place) => ({ place, confined: await confinedFile(root, place, signal) })));
  const places = checked.filter(({ confined }) => confined.ok || confined.reason === 'missing').map(({ place }) => place);
  const first = checked.find(({ place, confined }) => place !== 'package.json' && !confined.ok && confined.reason !== 'missing');
  if (!first || first.confined.ok || first.confined.reason === 'missing') return { places };
  return { places, refused: { place: first.place, reason: first.confined.reason } };
}

/**
 * The commitlint configuration at the repository's `root` (not above it), or undefined when there
 * is none. A file that cannot be parsed, or may not be read (a link outside the repository), gives
 * a configuration with no rules and the problem said.
 * @throws the signal's reason when aborted.
 */
export async function findCommitlintConfig(root: string, signal: AbortSignal = new AbortController().signal): Promise<CommitlintConfig | undefined> {
  const { places, refused } = await searchablePlaces(root, signal);
  let found: LilconfigResult = null;
  try {
    if (places.length > 0) found = await lilconfig('commitlint', { searchPlaces: places, stopDir: root, loaders: LOADERS, cache: false }).search(root);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { file: '(commitlint configuration)', rules: {}, problems: [`The commitlint configuration could not be read: ${message}.`] };
  }
  const foundPlace = found ? path.relative(root, found.filepath).split(path.sep).join('/') : undefined;
  if (refused && (foundPlace === undefined || COMMITLINT_SEARCH_PLACES.indexOf(refused.place) < COMMITLINT_SEARCH_PLACES.indexOf(foundPlace))) {
    return { file: refused.place, rules: {}, problems: [`${refused.place} ${REFUSED_WORDS[refused.reason]}, so MOCO did not read it: its rules are not known or checked.`] };
  }
  if (!found || found.isEmpty) return undefined;
  const file = foundPlace!;
  const config: unknown = found.config;
  if (config !== null && typeof config === 'object' && PROGRAM in config) {
    const text = String((config as Record<symbol, unknown>)[PROGRAM]);
    const programText = text.length > JS_CONFIG_MAX_CHARS ? `${text.slice(0, JS_CONFIG_MAX_CHARS)}\n… (cut)` : text;
    return { file, rules: {}, programText, problems: [] };
  }
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    return { file, rules: {}, problems: [`${file} does not hold a commitlint configuration object; it was not used.`] };
  }
  const problems: string[] = [];
  const rules = resolveRules(config as Record<string, unknown>, problems);
  return { file, rules, problems: problems.map((problem) => `${file}: ${problem}`) };
}
