// What a `changes` review looks at, in real git repositories: the diff against HEAD (or the empty
// tree in a repository with no commit) with the new file's line numbers, untracked files as new,
// findings only on changed lines; and the repository states it refuses or works in.
import { mkdir, realpath, rm, writeFile } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MocoErrorCodes } from '../../protocol/errors';
import { readAnswerItems } from '../../server/src/review/answer';
import { mapFindings } from '../../server/src/review/findings';
import { REVIEW_MAX_BYTES } from '../../server/src/review/source';
import { prepareSubject } from '../../server/src/review/subject';
import { commitAll, createRepo, git, writeFiles } from '../support/gitRepos';

const signal = new AbortController().signal;
const cleanup: string[] = [];
afterEach(async () => {
  for (const dir of cleanup.splice(0)) await rm(path.dirname(dir), { recursive: true, force: true });
});

async function repo(files: Record<string, string | Buffer>, commit?: string): Promise<string> {
  const dir = await createRepo(files, commit === undefined ? {} : { commit });
  cleanup.push(dir);
  return dir;
}

const app = ['function total(items) {', '  let sum = 0;', '  for (let i = 0; i < items.length; i++) {', '    sum += items[i].price;', '  }', '  return sum;', '}', ''].join('\n');

function finding(file: string, startLine: number, endLine = startLine): string {
  return JSON.stringify({ file, startLine, endLine, severity: 'high', category: 'bug', message: `at ${file}:${startLine}` });
}

describe('a changes review', () => {
  it('shows the diff with the new file\'s line numbers, and keeps only findings on changed lines', async () => {
    const dir = await repo({ 'src/app.js': app, 'README.md': 'hello\n' }, 'first');
    await writeFile(path.join(dir, 'src/app.js'), app.replace('i < items.length', 'i <= items.length').replace('  return sum;\n', '  console.log(sum);\n  return sum;\n'));
    const subject = await prepareSubject(dir, { kind: 'changes' }, signal);
    expect(subject.task.split('\n')[0]).toBe('Review the uncommitted changes: 1 file, against the last commit (HEAD), staged and unstaged together.');
    expect(subject.task).toContain('Comment only on changed lines');
    expect(subject.task).toContain('### src/app.js (modified)');
    expect(subject.task).toContain(
      ['@@ -1,7 +1,8 @@', '1   function total(items) {', '2     let sum = 0;', '  -   for (let i = 0; i < items.length; i++) {', '3 +   for (let i = 0; i <= items.length; i++) {', '4       sum += items[i].price;', '5     }', '6 +   console.log(sum);', '7     return sum;', '8   }'].join('\n'),
    );
    expect(subject.task).not.toContain('README.md');
    const answer = ['```json', finding('src/app.js', 3), finding('src/app.js', 4), finding('src/app.js', 5, 6), finding('README.md', 1), '```'].join('\n');
    const { findings, skipped } = mapFindings(readAnswerItems(answer)!, subject.scope);
    expect(findings.map((f) => [f.startLine, f.endLine])).toEqual([
      [3, 3],
      [5, 6],
    ]);
    expect(findings[0]!.anchor).toBe('  for (let i = 0; i <= items.length; i++) {');
    expect(skipped.map((s) => s.reason)).toEqual(['line 4 of src/app.js is not among the changed lines', 'README.md was not under review (reviewed: src/app.js)']);
  });

  it('takes staged and unstaged changes together, and untracked files as wholly new', async () => {
    const dir = await repo({ 'a.txt': 'one\n', 'b.txt': 'two\n' }, 'first');
    await writeFile(path.join(dir, 'a.txt'), 'one\nstaged\n');
    await git(dir, 'add', 'a.txt');
    await writeFile(path.join(dir, 'b.txt'), 'two\nunstaged\n');
    await writeFiles(dir, { 'new/c.txt': 'brand\nnew\n', 'ignored.log': 'x\n', '.gitignore': '*.log\n' });
    const { task, scope, reviewedFiles } = await prepareSubject(dir, { kind: 'changes' }, signal);
    expect([...scope.files.keys()]).toEqual(['.gitignore', 'a.txt', 'b.txt', 'new/c.txt']);
    expect(reviewedFiles).toEqual(['.gitignore', 'a.txt', 'b.txt', 'new/c.txt']);
    expect(task).toContain('### new/c.txt (new, not yet added to git)');
    expect(task).toContain('@@ -0,0 +1,2 @@\n1 + brand\n2 + new');
    expect(task).toContain('2 + staged');
    expect(task).toContain('2 + unstaged');
    expect(task).not.toContain('ignored.log');
    expect([...scope.files.get('new/c.txt')!.commentable!]).toEqual([1, 2]);
  });

  it('names a deleted file among the reviewed files (its old findings are stale), though no finding can sit on it', async () => {
    const dir = await repo({ 'gone.txt': 'bye\n', 'kept.txt': 'one\n' }, 'first');
    await rm(path.join(dir, 'gone.txt'));
    await writeFile(path.join(dir, 'kept.txt'), 'one\ntwo\n');
    const { task, scope, reviewedFiles } = await prepareSubject(dir, { kind: 'changes' }, signal);
    expect(task).toContain('### gone.txt (deleted)');
    expect(reviewedFiles).toEqual(['gone.txt', 'kept.txt']);
    expect([...scope.files.keys()]).toEqual(['kept.txt']);
  });

  it('works in a repository with no commits: everything is new', async () => {
    const dir = await repo({ 'staged.js': 'let a = 1;\n', 'loose.js': 'let b = 2;\n' });
    await git(dir, 'add', 'staged.js');
    const { task, scope } = await prepareSubject(dir, { kind: 'changes' }, signal);
    expect(task.split('\n')[0]).toBe('Review the uncommitted changes: 2 files, in a repository with no commit yet, so every file is new.');
    expect(task).toContain('### staged.js (added)');
    expect(task).toContain('### loose.js (new, not yet added to git)');
    expect([...scope.files.keys()]).toEqual(['loose.js', 'staged.js']);
  });

  it('works on a detached HEAD', async () => {
    const dir = await repo({ 'a.txt': 'one\n' }, 'first');
    await commitAll(dir, 'second');
    await git(dir, 'checkout', '-q', '--detach', 'HEAD~1');
    await writeFile(path.join(dir, 'a.txt'), 'one\nmore\n');
    const { scope } = await prepareSubject(dir, { kind: 'changes' }, signal);
    expect([...scope.files.get('a.txt')!.commentable!]).toEqual([2]);
  });

  it('reviews only the working directory\'s part of the repository, with paths relative to it', async () => {
    const dir = await repo({ 'pkg/a/index.js': 'x\n', 'pkg/b/index.js': 'y\n' }, 'first');
    await writeFile(path.join(dir, 'pkg/a/index.js'), 'x\nx2\n');
    await writeFile(path.join(dir, 'pkg/b/index.js'), 'y\ny2\n');
    await writeFile(path.join(dir, 'pkg/a/extra.js'), 'e\n');
    const { task, scope } = await prepareSubject(path.join(dir, 'pkg/a'), { kind: 'changes' }, signal);
    expect([...scope.files.keys()]).toEqual(['extra.js', 'index.js']);
    expect(task).not.toContain('y2');
  });

  it('says "No changes to review" when nothing changed', async () => {
    const dir = await repo({ 'a.txt': 'one\n' }, 'first');
    await expect(prepareSubject(dir, { kind: 'changes' }, signal)).rejects.toMatchObject({
      code: MocoErrorCodes.NothingToCommit,
      message: expect.stringMatching(/^No changes to review in .*: the working tree matches HEAD\. Change something first, or review a file\.$/) as unknown,
    });
  });

  it('refuses a folder that is not in a git repository', async () => {
    const dir = await realpath(await mkdtemp(path.join(tmpdir(), 'moco-norepo-')));
    cleanup.push(path.join(dir, 'x'));
    await expect(prepareSubject(dir, { kind: 'changes' }, signal)).rejects.toMatchObject({
      code: MocoErrorCodes.GitStateInvalid,
      message: expect.stringContaining('is not in a git repository') as unknown,
    });
  });

  it('refuses unresolved merge conflicts, naming the files', async () => {
    const dir = await repo({ 'a.txt': 'base\n' }, 'base');
    await git(dir, 'checkout', '-q', '-b', 'other');
    await writeFile(path.join(dir, 'a.txt'), 'theirs\n');
    await commitAll(dir, 'theirs');
    await git(dir, 'checkout', '-q', 'main');
    await writeFile(path.join(dir, 'a.txt'), 'ours\n');
    await commitAll(dir, 'ours');
    await expect(git(dir, 'merge', 'other')).rejects.toThrow();
    await expect(prepareSubject(dir, { kind: 'changes' }, signal)).rejects.toMatchObject({
      code: MocoErrorCodes.GitStateInvalid,
      message: expect.stringContaining('unresolved merge conflicts in a.txt') as unknown,
    });
  });

  it('leaves binary files out and says so; only binary changes are refused', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]);
    const dir = await repo({ 'logo.png': png, 'a.txt': 'one\n' }, 'first');
    await writeFile(path.join(dir, 'logo.png'), Buffer.concat([png, Buffer.from([0, 1, 2])]));
    await writeFile(path.join(dir, 'a.txt'), 'one\ntwo\n');
    const subject = await prepareSubject(dir, { kind: 'changes' }, signal);
    expect(subject.notes).toEqual(['Binary files were not reviewed: logo.png.']);
    expect([...subject.scope.files.keys()]).toEqual(['a.txt']);
    expect(subject.reviewedFiles).toEqual(['a.txt']);
    await git(dir, 'checkout', '--', 'a.txt');
    await expect(prepareSubject(dir, { kind: 'changes' }, signal)).rejects.toMatchObject({ code: MocoErrorCodes.InvalidRequest, message: 'Only binary files changed: there is no text to review.' });
  });

  it(`cuts the changes to ${REVIEW_MAX_BYTES / 1000} KB, leaving the largest files out and saying which`, async () => {
    const dir = await repo({ 'small.txt': 'a\n' }, 'first');
    await writeFile(path.join(dir, 'small.txt'), 'a\nb\n');
    await mkdir(path.join(dir, 'gen'));
    await writeFile(path.join(dir, 'gen/huge.txt'), Array.from({ length: 12_000 }, (_u, i) => `generated line ${i}`).join('\n'));
    const subject = await prepareSubject(dir, { kind: 'changes' }, signal);
    expect([...subject.scope.files.keys()]).toEqual(['small.txt']);
    expect(subject.reviewedFiles).toEqual(['small.txt']);
    expect(subject.notes).toEqual(['The changes were cut to fit 200 KB: 1 changed file was not reviewed (gen/huge.txt). Review them on their own.']);
  });

  it('does not read a tracked file over 20 MB, even for a small change, and says so', async () => {
    const big = 'a generated line of some length, repeated\n'.repeat(500_000);
    const dir = await repo({ 'big.txt': big, 'small.txt': 'a\n' }, 'first');
    await writeFile(path.join(dir, 'big.txt'), `${big}one more\n`);
    await writeFile(path.join(dir, 'small.txt'), 'a\nb\n');
    const subject = await prepareSubject(dir, { kind: 'changes' }, signal);
    expect(subject.reviewedFiles).toEqual(['small.txt']);
    expect(subject.notes).toEqual(['Files over 20 MB are not read for a review: big.txt. Select a part of it and run Review Selection.']);
    await git(dir, 'checkout', '--', 'small.txt');
    await expect(prepareSubject(dir, { kind: 'changes' }, signal)).rejects.toMatchObject({
      code: MocoErrorCodes.InvalidRequest,
      message: 'No changed text file could be reviewed. Files over 20 MB are not read for a review: big.txt. Select a part of it and run Review Selection.',
    });
  });
});
