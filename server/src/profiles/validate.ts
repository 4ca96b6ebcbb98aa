/**
 * Checks parsed YAML against a zod schema and turns zod's issues into messages a user can act on:
 * the file and line (traced through `yamlLocation.ts`), what is wrong, and an example of what to
 * write instead (from a table of {@link FieldHint}s kept beside each schema).
 */
import type { z } from 'zod';
import { ProfileError } from './errors';
import { lineOfKey, lineOfPath, type DataPath, type LocatedYaml } from './yamlLocation';

/** What a field must be, and an example of a correct line (may span lines). */
export interface FieldHint {
  /** A sentence fragment: `mode must be one of primary, chat, subagent`. */
  expect: string;
  /** What to write, for example `mode: subagent`. */
  example: string;
}

/**
 * Hints by path pattern: keys joined with `.`, list items as `[]`, any map key as `*`
 * (for example `mcp_servers[].args`, `tools.*`). Every known key of a map needs an entry: the
 * table also gives the known keys, for "did you mean" suggestions.
 */
export type FieldHints = Readonly<Record<string, FieldHint>>;

/** A key the schema does not know; loading goes on without it. */
export interface UnknownKey {
  /** Where it is, for example `orchestrator.max_paralel_tasks`. */
  label: string;
  line: number;
  /** The closest known key, when one is close enough to be a typo. */
  suggestion?: string;
}

/** Problems reported in one error message at most (the rest are counted). */
const MAX_REPORTED = 5;

/**
 * Validates `data` (by default the whole document) against `schema`. Keys that are `null` (written
 * with no value, as in `description:`) count as absent.
 *
 * @returns the parsed value and the keys the schema does not know (unknown keys are not an error:
 *   MOCO's files may carry keys this project does not use).
 * @throws {ProfileError} naming the line of the first problem, what is wrong and what to write.
 */
export function validateYaml<S extends z.ZodType>(
  schema: S,
  yaml: LocatedYaml,
  hints: FieldHints,
  data: unknown = yaml.data,
): { value: z.output<S>; unknownKeys: UnknownKey[] } {
  const input = withoutNulls(data);
  const first = schema.safeParse(input);
  if (first.success) return { value: first.data, unknownKeys: [] };

  const unknown = first.error.issues.filter((issue) => issue.code === 'unrecognized_keys');
  const problems = first.error.issues.filter((issue) => issue.code !== 'unrecognized_keys');
  if (problems.length > 0) throw toProfileError(problems, yaml, hints, input);

  const unknownKeys: UnknownKey[] = [];
  const cleaned = structuredClone(input);
  for (const issue of unknown) {
    const owner = valueAt(cleaned, issue.path) as Record<string, unknown>;
    for (const key of issue.keys) {
      delete owner[key];
      unknownKeys.push({
        label: labelOf([...issue.path, key]),
        line: lineOfKey(yaml, issue.path, key),
        suggestion: closestKey(key, knownKeysAt(hints, issue.path)),
      });
    }
  }
  const second = schema.safeParse(cleaned);
  if (!second.success) throw toProfileError(second.error.issues, yaml, hints, cleaned);
  unknownKeys.sort((a, b) => a.line - b.line);
  return { value: second.data, unknownKeys };
}

/** Formats an unknown key as a warning line: `<file>:<line>: unknown key "x" is ignored (did you mean "y"?)`. */
export function unknownKeyWarning(file: string, key: UnknownKey): string {
  const hint = key.suggestion === undefined ? '' : ` (did you mean "${key.suggestion}"?)`;
  return `${file}:${key.line}: unknown key "${key.label}" is ignored${hint}.`;
}

interface Located {
  line: number;
  text: string;
}

function toProfileError(
  issues: readonly z.core.$ZodIssue[],
  yaml: LocatedYaml,
  hints: FieldHints,
  input: unknown,
): ProfileError {
  const located = issues
    .map((issue) => describeIssue(issue, [], yaml, hints, input))
    .sort((a, b) => a.line - b.line);
  const [head, ...rest] = located;
  if (!head) return new ProfileError(yaml.file, undefined, 'the file does not match the expected format.');
  const shown = rest.slice(0, MAX_REPORTED - 1).map((p) => `\n${yaml.file}:${p.line}: ${p.text}`);
  const more = rest.length > MAX_REPORTED - 1 ? `\n(and ${rest.length - (MAX_REPORTED - 1)} more problems)` : '';
  return new ProfileError(yaml.file, head.line, head.text + shown.join('') + more);
}

function describeIssue(
  issue: z.core.$ZodIssue,
  prefix: DataPath,
  yaml: LocatedYaml,
  hints: FieldHints,
  input: unknown,
): Located {
  const path = [...prefix, ...issue.path];
  if (issue.code === 'invalid_union') {
    // Follow the branch that matches the value's shape (a list, or a map), to name the bad item.
    const branch = issue.errors.find((errors) => !errors.some((e) => e.path.length === 0 && e.code === 'invalid_type'));
    const inner = branch?.[0];
    if (inner) return describeIssue(inner, path, yaml, hints, input);
  }
  const line = lineOfPath(yaml, path);
  if (issue.code === 'custom') return { line, text: issue.message };
  const actual = valueAt(input, path);
  const hint = hintFor(hints, path);
  const label = labelOf(path);
  if (!hint) return { line, text: `${label}: ${issue.message}` };
  const example = hint.example.includes('\n') ? `\n${indent(hint.example)}` : ` ${hint.example}`;
  const what = actual === undefined ? `${label} is missing` : `${hint.expect}, not ${describeValue(actual)}`;
  return { line, text: `${what}. Write for example:${example}` };
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}

/** A short description of a YAML value for messages: `"main"`, `3.5`, `a list`, `a map`. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return `a date (${value.toISOString().slice(0, 10)})`;
  if (Array.isArray(value)) return 'a list';
  return 'a map';
}

/** `mcp_servers[0].args` for `['mcp_servers', 0, 'args']`. */
export function labelOf(path: DataPath): string {
  return path.reduce<string>((label, segment) => {
    if (typeof segment === 'number') return `${label}[${segment}]`;
    return label === '' ? String(segment) : `${label}.${String(segment)}`;
  }, '');
}

function patternOf(path: DataPath): string[] {
  const parts: string[] = [];
  for (const segment of path) {
    if (typeof segment === 'number') parts.push(`${parts.pop() ?? ''}[]`);
    else parts.push(String(segment));
  }
  return parts;
}

function hintFor(hints: FieldHints, path: DataPath): FieldHint | undefined {
  const parts = patternOf(path);
  const exact = hints[parts.join('.')];
  if (exact) return exact;
  if (parts.length === 0) return undefined;
  return hints[[...parts.slice(0, -1), '*'].join('.')];
}

function knownKeysAt(hints: FieldHints, path: DataPath): string[] {
  const parent = patternOf(path).join('.');
  const prefix = parent === '' ? '' : `${parent}.`;
  return Object.keys(hints)
    .filter((pattern) => pattern.startsWith(prefix))
    .map((pattern) => pattern.slice(prefix.length))
    .filter((rest) => rest !== '' && !rest.includes('.'))
    .map((rest) => rest.replace(/\[\]$/, ''))
    .filter((key) => key !== '*');
}

/** The known key within edit distance 2 of `key` (case-insensitive), if any. */
function closestKey(key: string, known: readonly string[]): string | undefined {
  let best: { key: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (distance <= 2 && (!best || distance < best.distance)) best = { key: candidate, distance };
  }
  return best?.key;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

function valueAt(data: unknown, path: DataPath): unknown {
  let value = data;
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[segment];
  }
  return value;
}

/** A copy of `data` without map entries whose value is `null` (list items are kept as they are). */
function withoutNulls(data: unknown): unknown {
  if (Array.isArray(data)) return data.map((item: unknown) => (item === null ? item : withoutNulls(item)));
  if (data === null || typeof data !== 'object' || data instanceof Date) return data;
  return Object.fromEntries(
    Object.entries(data as Record<string, unknown>)
      .filter(([, value]) => value !== null)
      .map(([key, value]) => [key, withoutNulls(value)]),
  );
}
