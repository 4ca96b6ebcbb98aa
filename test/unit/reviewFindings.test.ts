// Reading a reviewer's answer: the findings block in its forms (JSON Lines, an array,
// {findings}, an empty block), each finding checked alone against the schema and against what was
// reviewed, with anchors, stable ids, order and duplicates as the editor needs them.
import { describe, expect, it } from 'vitest';
import { MocoErrorCodes } from '../../protocol/errors';
import { readAnswerItems } from '../../server/src/review/answer';
import { findingId, mapFindings, type ReviewScope } from '../../server/src/review/findings';
import { severityOf } from '../../server/src/review/findingSchema';

const appLines = Array.from({ length: 40 }, (_unused, index) => `line ${index + 1} of app`);
const utilLines = ['export const a = 1;', 'export const b = 2;', 'export const c = 3;'];

function scope(overrides: Partial<Record<'app' | 'util', { commentable?: Set<number>; commentableLabel?: string }>> = {}): ReviewScope {
  return {
    workingDir: '/work/project',
    files: new Map([
      ['src/app.ts', { path: 'src/app.ts', lines: appLines, ...overrides.app }],
      ['src/util.ts', { path: 'src/util.ts', lines: utilLines, ...overrides.util }],
    ]),
  };
}

function line(finding: Record<string, unknown>): string {
  return JSON.stringify({ file: 'src/app.ts', startLine: 3, endLine: 3, severity: 'high', category: 'bug', message: 'm', ...finding });
}

/** The answer read and mapped against {@link scope}. */
function review(answer: string, reviewScope: ReviewScope = scope()): ReturnType<typeof mapFindings> {
  const items = readAnswerItems(answer);
  if (!items) throw new Error('no findings block');
  return mapFindings(items, reviewScope);
}

describe('the findings block', () => {
  it('reads JSON Lines in a json block, after prose', () => {
    const answer = ['I read the file. Two problems:', '', '```json', line({ startLine: 3, message: 'first' }), line({ startLine: 7, endLine: 9, message: 'second', severity: 'low' }), '```'].join('\n');
    const { findings, skipped } = review(answer);
    expect(findings.map((f) => [f.startLine, f.endLine, f.severity, f.message])).toEqual([
      [3, 3, 'high', 'first'],
      [7, 9, 'low', 'second'],
    ]);
    expect(skipped).toEqual([]);
  });

  it('reads a JSON array, and {"findings": [...]}', () => {
    const array = `\`\`\`json\n[${line({ message: 'one' })},\n${line({ message: 'two', startLine: 4, endLine: 4 })}]\n\`\`\``;
    expect(review(array).findings.map((f) => f.message)).toEqual(['one', 'two']);
    const wrapped = `\`\`\`json\n${JSON.stringify({ findings: [JSON.parse(line({ message: 'three' })) as unknown] }, null, 2)}\n\`\`\``;
    expect(review(wrapped).findings.map((f) => f.message)).toEqual(['three']);
  });

  it('takes an empty block as no findings', () => {
    expect(review('Nothing wrong here.\n\n```json\n```')).toEqual({ findings: [], skipped: [] });
    expect(review('```json\n[]\n```')).toEqual({ findings: [], skipped: [] });
  });

  it('takes an answer that is only JSON Lines, without a fence', () => {
    expect(review(`${line({ message: 'bare' })}\n${line({ message: 'bare too', startLine: 5, endLine: 5 })}`).findings).toHaveLength(2);
  });

  it('reads the last json block, in a list or with a longer fence', () => {
    const answer = ['Example I was given:', '```json', line({ message: 'not this one' }), '```', '', '- Findings:', '', '  ````jsonl', `  ${line({ message: 'this one' })}`, '  ````'].join('\n');
    expect(review(answer).findings.map((f) => f.message)).toEqual(['this one']);
  });

  it('has no block in prose that lists problems in words, and none in an empty answer', () => {
    expect(readAnswerItems('Verdict: CHANGES REQUESTED\n\nCritical\n1. `src/app.ts:3` — off by one.')).toBeUndefined();
    expect(readAnswerItems('')).toBeUndefined();
    expect(MocoErrorCodes.ReviewAnswerInvalid).toBe(1621);
  });

  it('an answer nested too deeply for the Markdown lexer (thousands of >) has no block, and does not crash the review', () => {
    expect(readAnswerItems('>'.repeat(20_000))).toBeUndefined();
  });

  it('takes a short answer that says there are no findings as none', () => {
    expect(readAnswerItems('No issues found. The code looks correct.')).toEqual([]);
  });
});

describe('each finding alone', () => {
  it('skips a malformed JSON line with the parser\'s reason and keeps the others', () => {
    const answer = ['```json', line({ message: 'kept 1' }), '{"file": "src/app.ts", "startLine": 4, "severity": "low"', line({ message: 'kept 2', startLine: 9, endLine: 9 }), '```'].join('\n');
    const { findings, skipped } = review(answer);
    expect(findings.map((f) => f.message)).toEqual(['kept 1', 'kept 2']);
    expect(skipped).toHaveLength(1);
    expect(skipped[0]!.reason).toMatch(/^not valid JSON: /);
    expect(skipped[0]!.text).toBe('{"file": "src/app.ts", "startLine": 4, "severity": "low"');
  });

  it('skips a finding with missing or wrong fields, saying which', () => {
    const answer = ['```json', JSON.stringify({ file: 'src/app.ts', startLine: 0, severity: 'urgent', message: '' }), line({ message: 'kept' }), '```'].join('\n');
    const { findings, skipped } = review(answer);
    expect(findings.map((f) => f.message)).toEqual(['kept']);
    expect(skipped[0]!.reason).toBe('startLine must be 1 or more (lines count from 1); severity "urgent" is not one of info, low, medium, high, critical; message is empty');
  });

  it('skips each member of a pretty-printed array alone when one of them is broken', () => {
    const answer = ['```json', '[', '  {"file": "src/app.ts", "startLine": 3, "endLine": 3, "severity": "high", "category": "bug", "message": "good"},', '  {"file": "src/app.ts", "startLine": 4 "endLine": 4},', '  {"file": "src/util.ts", "startLine": 2, "endLine": 2, "severity": "low", "category": "style", "message": "also good"}', ']', '```'].join('\n');
    const { findings, skipped } = review(answer);
    expect(findings.map((f) => f.message)).toEqual(['good', 'also good']);
    expect(skipped.map((s) => s.reason)).toEqual([expect.stringMatching(/^not valid JSON/)]);
  });

  it('skips a range past the end of the file, saying the file\'s length', () => {
    const { findings, skipped } = review(['```json', line({ file: 'src/util.ts', startLine: 3, endLine: 5, message: 'too far' }), line({ message: 'kept' }), '```'].join('\n'));
    expect(findings.map((f) => f.message)).toEqual(['kept']);
    expect(skipped[0]!.reason).toBe('lines 3–5 are outside src/util.ts (3 lines)');
  });

  it('skips an end line before the start line', () => {
    const { skipped } = review(['```json', line({ startLine: 9, endLine: 4 }), '```'].join('\n'));
    expect(skipped[0]!.reason).toBe('endLine 4 is before startLine 9');
  });

  it('skips a finding on no commentable line (an unchanged line of a diff), and keeps one that touches a changed line', () => {
    const changed = scope({ app: { commentable: new Set([10, 11, 12]), commentableLabel: 'the changed lines' } });
    const answer = ['```json', line({ startLine: 3, endLine: 4, message: 'unchanged' }), line({ startLine: 8, endLine: 10, message: 'touches line 10' }), '```'].join('\n');
    const { findings, skipped } = review(answer, changed);
    expect(findings.map((f) => f.message)).toEqual(['touches line 10']);
    expect(skipped[0]!.reason).toBe('lines 3–4 of src/app.ts are not among the changed lines');
  });

  it('skips paths outside the working directory and files that were not reviewed', () => {
    const answer = ['```json', line({ file: '../secret.ts' }), line({ file: '/etc/passwd' }), line({ file: 'src/other.ts' }), '```'].join('\n');
    const { findings, skipped } = review(answer);
    expect(findings).toEqual([]);
    expect(skipped.map((s) => s.reason)).toEqual([
      '../secret.ts is outside the working directory /work/project',
      '/etc/passwd is outside the working directory /work/project',
      'src/other.ts was not under review (reviewed: src/app.ts, src/util.ts)',
    ]);
  });

  it('accepts an absolute path inside the working directory, ./ and a diff\'s b/ prefix, and Windows separators', () => {
    const answer = ['```json', line({ file: '/work/project/src/app.ts', message: '1' }), line({ file: './src/app.ts', message: '2' }), line({ file: 'b/src/app.ts', message: '3' }), line({ file: 'src\\app.ts', message: '4' }), '```'].join('\n');
    const { findings, skipped } = review(answer);
    expect(skipped).toEqual([]);
    expect(findings.map((f) => f.file)).toEqual(['src/app.ts', 'src/app.ts', 'src/app.ts', 'src/app.ts']);
  });

  it('finds a file whose name holds a backslash or quotes by its exact name, and one with a tab written as the prompt shows it (a JSON string)', () => {
    const odd = ['back\\slash.ts', '"quoted".ts', 'tab\there.ts'];
    const oddScope: ReviewScope = { workingDir: '/work/project', files: new Map(odd.map((name) => [name, { path: name, lines: utilLines }])) };
    const answer = ['```json', line({ file: 'back\\slash.ts' }), line({ file: '"quoted".ts' }), line({ file: JSON.stringify('tab\there.ts') }), '```'].join('\n');
    const { findings, skipped } = review(answer, oddScope);
    expect(skipped).toEqual([]);
    expect(findings.map((f) => f.file).sort()).toEqual([...odd].sort());
  });

  it('cuts a skipped finding\'s text to 500 characters', () => {
    const { skipped } = review(['```json', `{"file": "src/app.ts", "message": "${'x'.repeat(900)}`, '```'].join('\n'));
    expect(skipped[0]!.text).toHaveLength(500);
  });
});

describe('severities', () => {
  it('take any case and the common synonyms', () => {
    expect(['CRITICAL', 'Error', 'major', 'Warning', 'moderate', 'minor', 'note', 'Hint', 'info'].map(severityOf)).toEqual([
      'critical',
      'high',
      'high',
      'medium',
      'medium',
      'low',
      'info',
      'info',
      'info',
    ]);
    const { findings } = review(['```json', line({ severity: 'Warning', message: 'w' }), '```'].join('\n'));
    expect(findings[0]!.severity).toBe('medium');
  });
});

describe('mapped findings', () => {
  it('carry the text of their lines as anchor, lower-case category, and a suggestion without its fence or last line break', () => {
    const { findings } = review(['```json', line({ startLine: 2, endLine: 3, category: 'Bug', suggestion: '```ts\nfixed 2\nfixed 3\n```' }), '```'].join('\n'));
    expect(findings[0]).toMatchObject({ anchor: 'line 2 of app\nline 3 of app', category: 'bug', suggestion: 'fixed 2\nfixed 3' });
    const plain = review(['```json', line({ line: 5, startLine: undefined, endLine: undefined, suggestion: 'x = 1\n' }), '```'].join('\n')).findings[0]!;
    expect(plain).toMatchObject({ startLine: 5, endLine: 5, suggestion: 'x = 1' });
  });

  it('have a stable id from file, lines, category and message: the same finding twice is given once', () => {
    const answer = ['```json', line({ message: 'same' }), line({ message: 'same' }), line({ message: 'other' }), '```'].join('\n');
    const { findings } = review(answer);
    expect(findings.map((f) => f.message).sort()).toEqual(['other', 'same']);
    const same = findings.find((f) => f.message === 'same')!;
    expect(same.id).toBe(findingId('src/app.ts', 3, 3, 'bug', 'same'));
    expect(same.id).toMatch(/^[0-9a-f]{16}$/);
    expect(review(answer).findings.map((f) => f.id)).toEqual(findings.map((f) => f.id));
    expect(findingId('src/app.ts', 3, 4, 'bug', 'same')).not.toBe(same.id);
    expect(findingId('src/app.ts', 3, 3, 'style', 'same')).not.toBe(same.id);
  });

  it('are sorted most severe first, then by file, then by line', () => {
    const answer = [
      '```json',
      line({ severity: 'low', startLine: 1, endLine: 1, message: 'low app 1' }),
      line({ severity: 'critical', file: 'src/util.ts', startLine: 2, endLine: 2, message: 'critical util 2' }),
      line({ severity: 'high', file: 'src/util.ts', startLine: 1, endLine: 1, message: 'high util 1' }),
      line({ severity: 'high', startLine: 20, endLine: 20, message: 'high app 20' }),
      line({ severity: 'high', startLine: 5, endLine: 5, message: 'high app 5' }),
      line({ severity: 'info', startLine: 2, endLine: 2, message: 'info app 2' }),
      '```',
    ].join('\n');
    expect(review(answer).findings.map((f) => f.message)).toEqual(['critical util 2', 'high app 5', 'high app 20', 'high util 1', 'low app 1', 'info app 2']);
  });
});
