/**
 * The shape of one finding as the reviewer writes it, checked with zod: `{file, startLine,
 * endLine, severity, category, message, suggestion?}`. The schema is lenient where a model's
 * habits are harmless (numbers as strings, `line` for a one-line finding, severities in any case
 * and with common synonyms, no category) and strict where a wrong value would put a comment on the
 * wrong line or say nothing (no file, no line, no message, an unknown severity).
 */
import { z } from 'zod';
import { FindingSeverities, type FindingSeverity } from '../../../protocol/review';

/**
 * Severity words reviewers use, and the severity each means. Our own five map to themselves; the
 * others come from SARIF's levels (`error`, `warning`, `note`; https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html
 * §3.27.10), LSP's diagnostic severities (`error`, `warning`, `information`, `hint`) and the
 * bundled reviewers' own scales (`Critical`, `Major`, `Minor`). Matched case-insensitively.
 */
export const SEVERITY_SYNONYMS: Readonly<Record<string, FindingSeverity>> = {
  critical: 'critical',
  blocker: 'critical',
  fatal: 'critical',
  high: 'high',
  error: 'high',
  major: 'high',
  medium: 'medium',
  moderate: 'medium',
  warning: 'medium',
  warn: 'medium',
  low: 'low',
  minor: 'low',
  info: 'info',
  information: 'info',
  informational: 'info',
  note: 'info',
  hint: 'info',
  nit: 'info',
};

/** The severity a reviewer's word means, or undefined when it is none of {@link SEVERITY_SYNONYMS}. */
export function severityOf(word: string): FindingSeverity | undefined {
  return SEVERITY_SYNONYMS[word.trim().toLowerCase()];
}

/** The message of a missing or mistyped field. */
const typeError =
  (field: string, expected: string) =>
  (issue: { input?: unknown }): string =>
    issue.input === undefined ? `${field} is missing` : `${field} must be ${expected}`;

/** A 1-based line number: an integer ≥ 1, or a string of digits (some models quote numbers). */
const lineNumber = (field: string): z.ZodType<number> =>
  z
    .union([z.number(), z.string().trim().regex(/^\d+$/).transform(Number)], { error: typeError(field, 'a line number (1, 2, …)') })
    .pipe(z.number().int({ error: `${field} must be a whole line number` }).min(1, { error: `${field} must be 1 or more (lines count from 1)` }));

const severity = z.string({ error: typeError('severity', `one of ${FindingSeverities.join(', ')}`) }).transform((word, context) => {
  const known = severityOf(word);
  if (!known) context.addIssue({ code: 'custom', message: `severity "${word}" is not one of ${FindingSeverities.join(', ')}` });
  return known ?? 'info';
});

const text = (field: string): z.ZodType<string> =>
  z.string({ error: typeError(field, 'a string') }).trim().min(1, { error: `${field} is empty` });

/**
 * One finding as written. `line` is taken for `startLine` when `startLine` is missing, and
 * `endLine` defaults to `startLine`; `category` defaults to `general`; a null `suggestion` is
 * none. Other keys are ignored.
 */
export const rawFindingSchema = z.preprocess(
  (value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
    const record = value as Record<string, unknown>;
    const startLine = record.startLine ?? record.line;
    return { ...record, startLine, endLine: record.endLine ?? startLine, category: record.category ?? 'general', suggestion: record.suggestion ?? undefined };
  },
  z.object(
    {
      file: text('file'),
      startLine: lineNumber('startLine'),
      endLine: lineNumber('endLine'),
      severity,
      category: text('category').transform((category) => category.toLowerCase()),
      message: text('message'),
      suggestion: z.string({ error: typeError('suggestion', 'a string (the replacement lines)') }).optional(),
    },
    { error: 'a finding must be a JSON object {"file", "startLine", "endLine", "severity", "category", "message"}' },
  ),
);

/** A finding as written, after the schema. */
export type RawFinding = z.output<typeof rawFindingSchema>;

/**
 * Checks one parsed JSON value.
 * @returns the finding, or the reason it is not one (every problem, `; `-separated, for the user).
 */
export function checkRawFinding(value: unknown): { ok: true; finding: RawFinding } | { ok: false; reason: string } {
  const parsed = rawFindingSchema.safeParse(value);
  if (parsed.success) {
    if (parsed.data.endLine < parsed.data.startLine) {
      return { ok: false, reason: `endLine ${parsed.data.endLine} is before startLine ${parsed.data.startLine}` };
    }
    return { ok: true, finding: parsed.data };
  }
  // An endLine the reviewer left out copies startLine: its problem is startLine's, said once.
  const wroteEndLine = typeof value === 'object' && value !== null && 'endLine' in value;
  const issues = parsed.error.issues.filter((issue) => wroteEndLine || issue.path[0] !== 'endLine');
  return { ok: false, reason: issues.map((issue) => issue.message).join('; ') };
}
