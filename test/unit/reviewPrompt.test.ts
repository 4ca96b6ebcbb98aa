// The review task for a file and a selection: the text with its line numbers, which lines to
// report on, the answer format; and the refusals (too large, binary, outside the working
// directory, empty, a selection not in the file).
import { mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MocoErrorCodes } from '../../protocol/errors';
import { readAnswerItems } from '../../server/src/review/answer';
import { mapFindings } from '../../server/src/review/findings';
import { REVIEW_MAX_BYTES, REVIEW_MAX_LINES } from '../../server/src/review/source';
import { prepareSubject } from '../../server/src/review/subject';

let root: string;
let dir: string;
const signal = new AbortController().signal;

beforeEach(async () => {
  root = await realpath(await mkdtemp(path.join(tmpdir(), 'moco-review-prompt-')));
  dir = path.join(root, 'work');
  await import('node:fs/promises').then((fs) => fs.mkdir(path.join(dir, 'src'), { recursive: true }));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const numbered = (count: number): string => Array.from({ length: count }, (_unused, index) => `const v${index + 1} = ${index + 1};`).join('\n') + '\n';

describe('a file review', () => {
  it('quotes the file with each line\'s number, and asks for the JSON Lines block', async () => {
    await writeFile(path.join(dir, 'src/app.ts'), 'const a = 1;\nconst b = a + 1;\n');
    const subject = await prepareSubject(dir, { kind: 'file', file: 'src/app.ts' }, signal);
    expect(subject.task.split('\n')[0]).toBe('Review the file src/app.ts.');
    expect(subject.task).toContain('1 | const a = 1;\n2 | const b = a + 1;\n');
    expect(subject.task).toContain('src/app.ts (2 lines;');
    expect(subject.task).toContain('fenced code block tagged `json`');
    expect(subject.task).toContain('"severity": one of "critical", "high", "medium", "low", "info"');
    expect(subject.task).toContain('This format replaces any other answer format you were given.');
    expect([...subject.scope.files.keys()]).toEqual(['src/app.ts']);
  });

  it('shows a name with a tab or a line break as a JSON string, so the task keeps its lines, and finds the file the reviewer names that way', async () => {
    await writeFile(path.join(dir, 'src/odd\tname.ts'), 'const a = 1;\n');
    const subject = await prepareSubject(dir, { kind: 'file', file: 'src/odd\tname.ts' }, signal);
    expect(subject.task.split('\n')[0]).toBe('Review the file "src/odd\\tname.ts".');
    expect(subject.reviewedFiles).toEqual(['src/odd\tname.ts']);
    const answer = ['```json', JSON.stringify({ file: '"src/odd\\tname.ts"', startLine: 1, severity: 'low', category: 'bug', message: 'm' }), '```'].join('\n');
    expect(mapFindings(readAnswerItems(answer)!, subject.scope).findings.map((finding) => finding.file)).toEqual(['src/odd\tname.ts']);
  });

  it('pads the numbers to one width, and fences text holding backticks with a longer fence', async () => {
    await writeFile(path.join(dir, 'src/doc.md'), Array.from({ length: 12 }, (_u, i) => (i === 0 ? '```' : `row ${i + 1}`)).join('\n'));
    const { task } = await prepareSubject(dir, { kind: 'file', file: 'src/doc.md' }, signal);
    expect(task).toContain('\n 1 | ```\n 2 | row 2\n');
    expect(task).toContain('12 | row 12\n````\n');
    expect(task).toContain('````text\n');
  });

  it('reviews the editor\'s text when it is sent, not the file on disk', async () => {
    await writeFile(path.join(dir, 'src/app.ts'), 'on disk\n');
    const { task, scope } = await prepareSubject(dir, { kind: 'file', file: path.join(dir, 'src/app.ts'), content: 'unsaved 1\nunsaved 2' }, signal);
    expect(task).toContain('1 | unsaved 1\n2 | unsaved 2');
    expect(task).not.toContain('on disk');
    expect(scope.files.get('src/app.ts')!.lines).toEqual(['unsaved 1', 'unsaved 2']);
  });

  it(`refuses a file over ${REVIEW_MAX_LINES} lines or ${REVIEW_MAX_BYTES / 1000} KB, pointing to Review Selection`, async () => {
    await writeFile(path.join(dir, 'src/long.ts'), numbered(REVIEW_MAX_LINES + 1));
    await expect(prepareSubject(dir, { kind: 'file', file: 'src/long.ts' }, signal)).rejects.toMatchObject({
      code: MocoErrorCodes.InvalidRequest,
      message: `src/long.ts (${REVIEW_MAX_LINES + 1} lines) is too large to review at once: the limit is 2,000 lines and 200 KB. Select a part and run Review Selection.`,
    });
    await writeFile(path.join(dir, 'src/wide.ts'), `${'x'.repeat(REVIEW_MAX_BYTES + 10)}\n`);
    await expect(prepareSubject(dir, { kind: 'file', file: 'src/wide.ts' }, signal)).rejects.toMatchObject({ code: MocoErrorCodes.InvalidRequest, message: expect.stringContaining('too large to review at once') as unknown });
    await writeFile(path.join(dir, 'src/fits.ts'), numbered(REVIEW_MAX_LINES));
    await expect(prepareSubject(dir, { kind: 'file', file: 'src/fits.ts' }, signal)).resolves.toBeDefined();
  });

  it('refuses a binary file, an empty one, a missing one, and paths outside the working directory', async () => {
    await writeFile(path.join(dir, 'src/logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]));
    await writeFile(path.join(dir, 'src/empty.ts'), '');
    await writeFile(path.join(root, 'outside.ts'), 'secret\n');
    await symlink(path.join(root, 'outside.ts'), path.join(dir, 'src/link.ts'));
    const attempt = (file: string): Promise<unknown> => prepareSubject(dir, { kind: 'file', file }, signal);
    await expect(attempt('src/logo.png')).rejects.toMatchObject({ code: MocoErrorCodes.InvalidRequest, message: 'src/logo.png is a binary file; only text files can be reviewed.' });
    await expect(attempt('src/empty.ts')).rejects.toMatchObject({ code: MocoErrorCodes.InvalidRequest, message: 'src/empty.ts is empty: there is nothing to review.' });
    await expect(attempt('src/gone.ts')).rejects.toMatchObject({ code: MocoErrorCodes.InvalidRequest, message: expect.stringContaining('there is no such file') as unknown });
    for (const outside of ['../outside.ts', path.join(root, 'outside.ts'), 'src/link.ts']) {
      await expect(attempt(outside)).rejects.toMatchObject({ code: MocoErrorCodes.InvalidRequest, message: expect.stringMatching(/outside the working directory/) as unknown });
    }
    await expect(prepareSubject(dir, { kind: 'file', file: 'src/x.ts', content: 'a\0b' }, signal)).rejects.toMatchObject({ code: MocoErrorCodes.InvalidRequest, message: expect.stringContaining('binary') as unknown });
  });

  it('refuses a target of no known kind', async () => {
    await expect(prepareSubject(dir, { kind: 'folder' } as never, signal)).rejects.toMatchObject({ code: MocoErrorCodes.InvalidRequest, message: expect.stringContaining('{kind: "changes"}') as unknown });
  });
});

describe('a selection review', () => {
  it('quotes the selection marked ">" with 20 lines of context around it, and says to report only on it', async () => {
    await writeFile(path.join(dir, 'src/app.ts'), numbered(100));
    const { task } = await prepareSubject(dir, { kind: 'selection', file: 'src/app.ts', startLine: 40, endLine: 42 }, signal);
    expect(task.split('\n')[0]).toBe('Review lines 40–42 of src/app.ts.');
    expect(task).toContain('Report only on lines 40–42 of src/app.ts');
    expect(task).toContain('src/app.ts, lines 20–62 of 100');
    expect(task).toContain('\n  20 | const v20 = 20;');
    expect(task).not.toContain('v19 ');
    expect(task).toContain('  39 | const v39 = 39;\n> 40 | const v40 = 40;\n> 41 | const v41 = 41;\n> 42 | const v42 = 42;\n  43 | const v43 = 43;');
    expect(task).toContain('  62 | const v62 = 62;\n```');
  });

  it('keeps findings on the selection and skips those outside it', async () => {
    await writeFile(path.join(dir, 'src/app.ts'), numbered(100));
    const { scope } = await prepareSubject(dir, { kind: 'selection', file: 'src/app.ts', startLine: 40, endLine: 42 }, signal);
    const finding = (start: number, end: number): string => JSON.stringify({ file: 'src/app.ts', startLine: start, endLine: end, severity: 'low', category: 'bug', message: `at ${start}` });
    const { findings, skipped } = mapFindings(readAnswerItems(['```json', finding(41, 41), finding(38, 40), finding(10, 12), '```'].join('\n'))!, scope);
    expect(findings.map((f) => f.message)).toEqual(['at 38', 'at 41']);
    expect(skipped.map((s) => s.reason)).toEqual(['lines 10–12 of src/app.ts are not among the selected lines 40–42']);
  });

  it('moves an end past the last line back to it, and refuses a selection that is not in the file or too large', async () => {
    await writeFile(path.join(dir, 'src/app.ts'), numbered(30));
    const end = await prepareSubject(dir, { kind: 'selection', file: 'src/app.ts', startLine: 29, endLine: 31 }, signal);
    expect(end.task.split('\n')[0]).toBe('Review lines 29–30 of src/app.ts.');
    await expect(prepareSubject(dir, { kind: 'selection', file: 'src/app.ts', startLine: 31, endLine: 40 }, signal)).rejects.toMatchObject({
      code: MocoErrorCodes.InvalidRequest,
      message: 'The selection starts at line 31, past the end of src/app.ts (30 lines). Select lines of the file.',
    });
    await expect(prepareSubject(dir, { kind: 'selection', file: 'src/app.ts', startLine: 5, endLine: 2 }, signal)).rejects.toMatchObject({ code: MocoErrorCodes.InvalidRequest });
    await writeFile(path.join(dir, 'src/long.ts'), numbered(5000));
    await expect(prepareSubject(dir, { kind: 'selection', file: 'src/long.ts', startLine: 1, endLine: 2500 }, signal)).rejects.toMatchObject({
      code: MocoErrorCodes.InvalidRequest,
      message: expect.stringMatching(/^The selection \(2500 lines, .* KB\) is too large to review at once: the limit is 2,000 lines and 200 KB\. Select fewer lines\.$/) as unknown,
    });
    // A part of a file too large for a whole-file review is fine.
    await expect(prepareSubject(dir, { kind: 'selection', file: 'src/long.ts', startLine: 4000, endLine: 4100 }, signal)).resolves.toBeDefined();
  });
});
