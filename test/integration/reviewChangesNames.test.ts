// A `changes` review of files whose names git quotes or parse-diff misreads, in real git
// repositories: each is reviewed under its exact name (or named in the notes), and what is not a
// file (a symbolic link, a submodule) or what git diffs as binary is left out and said.
import { chmod, rename, rm, symlink, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readAnswerItems } from '../../server/src/review/answer';
import { mapFindings } from '../../server/src/review/findings';
import { prepareSubject } from '../../server/src/review/subject';
import { createRepo, git } from '../support/gitRepos';

const signal = new AbortController().signal;
const cleanup: string[] = [];
afterEach(async () => {
  for (const dir of cleanup.splice(0)) await rm(path.dirname(dir), { recursive: true, force: true });
});

async function repo(files: Record<string, string | Buffer>): Promise<string> {
  const dir = await createRepo(files, { commit: 'first' });
  cleanup.push(dir);
  return dir;
}

/** Names git prints C-quoted in a patch (`"`, `\`, tab, line break; non-ASCII with core.quotePath), and plain ones beside them. */
const awkward = ['new "q".ts', 'back\\slash.ts', 'tab\tname.ts', 'line\nbreak.ts', 'café ünïcode.ts', 'my file.ts', "it's'.ts", 'plain.ts'];

describe('a changes review of files with awkward names', () => {
  it('reviews every changed, renamed and untracked file under its exact name, with its own changed lines', async () => {
    const dir = await repo({ ...Object.fromEntries(awkward.map((name, index) => [name, `file ${index} one\n`])), 'old.ts': 'a\nb\nc\nd\ne\n' });
    await git(dir, 'config', 'core.quotePath', 'true');
    for (const [index, name] of awkward.entries()) await writeFile(path.join(dir, name), `file ${index} one\nfile ${index} two\n`);
    await git(dir, 'mv', 'old.ts', 'renamed "r".ts');
    await writeFile(path.join(dir, 'renamed "r".ts'), 'a\nb\nc\nd\ne\nf\n');
    await writeFile(path.join(dir, 'untracked "u"\t.ts'), 'brand new\n');
    const subject = await prepareSubject(dir, { kind: 'changes' }, signal);
    const expected = [...awkward, 'renamed "r".ts', 'untracked "u"\t.ts'].sort();
    expect(subject.reviewedFiles).toEqual(expected);
    expect([...subject.scope.files.keys()].sort()).toEqual(expected);
    expect(subject.notes).toEqual([]);
    // A name with a tab or a line break is shown as a JSON string, so that the prompt's lines hold.
    expect(subject.task).toContain('### "tab\\tname.ts" (modified)');
    expect(subject.task).toContain('### "line\\nbreak.ts" (modified)');
    for (const [index, name] of awkward.entries()) {
      expect(subject.task).toContain(`### ${/[\t\n]/.test(name) ? JSON.stringify(name) : name} (modified)`);
      expect(subject.scope.files.get(name)).toMatchObject({ lines: [`file ${index} one`, `file ${index} two`] });
      expect([...subject.scope.files.get(name)!.commentable!]).toEqual([2]);
    }
    expect(subject.task).toContain('### renamed "r".ts (renamed from old.ts)');
    expect([...subject.scope.files.get('renamed "r".ts')!.commentable!]).toEqual([6]);
    expect(subject.task).toContain(`### ${JSON.stringify('untracked "u"\t.ts')} (new, not yet added to git)`);
    // As the reviewer would write them: the names as shown above, inside its JSON.
    const answer = ['```json', ...['new "q".ts', 'back\\slash.ts', JSON.stringify('line\nbreak.ts')].map((file) => JSON.stringify({ file, startLine: 2, endLine: 2, severity: 'low', category: 'bug', message: `In ${file}.` })), '```'].join('\n');
    const { findings, skipped } = mapFindings(readAnswerItems(answer)!, subject.scope);
    expect(skipped).toEqual([]);
    expect(findings.map((finding) => [finding.file, finding.anchor])).toEqual([
      ['back\\slash.ts', 'file 1 two'],
      ['line\nbreak.ts', 'file 3 two'],
      ['new "q".ts', 'file 0 two'],
    ]);
  });

  it('reviews a quoted name from a subfolder, relative to it', async () => {
    const dir = await repo({ 'pkg/a "b".ts': 'x\n', 'other/c "d".ts': 'y\n' });
    await writeFile(path.join(dir, 'pkg/a "b".ts'), 'x\nx2\n');
    await writeFile(path.join(dir, 'other/c "d".ts'), 'y\ny2\n');
    const subject = await prepareSubject(path.join(dir, 'pkg'), { kind: 'changes' }, signal);
    expect(subject.reviewedFiles).toEqual(['a "b".ts']);
    expect(subject.task).toContain('1   x\n2 + x2');
  });

  it("keeps a text file's own diff when a binary file's header reads like its name to parse-diff", async () => {
    // `diff --git a/d b/c.txt b/d b/c.txt` is split by parse-diff as from "d b/c.txt b/d", to "c.txt".
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]);
    const dir = await repo({ 'c.txt': 'one\n', 'd b/c.txt': png });
    await writeFile(path.join(dir, 'c.txt'), 'one\ntwo\n');
    await writeFile(path.join(dir, 'd b/c.txt'), Buffer.concat([png, Buffer.from([0, 1])]));
    const subject = await prepareSubject(dir, { kind: 'changes' }, signal);
    expect(subject.reviewedFiles).toEqual(['c.txt']);
    expect([...subject.scope.files.get('c.txt')!.commentable!]).toEqual([2]);
    expect(subject.task).toContain('1   one\n2 + two');
    expect(subject.notes).toEqual(['Binary files were not reviewed: d b/c.txt.']);
  });
});

describe('a changes review leaves out what is not a text file, and says so', () => {
  it('names symbolic links (changed, or new and untracked) instead of reviewing the file they point to', async () => {
    const dir = await repo({ 'a.txt': 'a\n', 'b.txt': 'b\n' });
    await symlink('a.txt', path.join(dir, 'link'));
    await git(dir, 'add', 'link');
    await git(dir, 'commit', '-q', '-m', 'link');
    await rm(path.join(dir, 'link'));
    await symlink('b.txt', path.join(dir, 'link'));
    await symlink('b.txt', path.join(dir, 'loose-link'));
    await writeFile(path.join(dir, 'a.txt'), 'a\nchanged\n');
    const subject = await prepareSubject(dir, { kind: 'changes' }, signal);
    expect(subject.reviewedFiles).toEqual(['a.txt']);
    expect(subject.notes).toEqual(['Only files are reviewed, not: link (a symbolic link), loose-link (a symbolic link).']);
  });

  it('reviews a symbolic link that became a file, as the file', async () => {
    const dir = await repo({ 'a.txt': 'a\n' });
    await symlink('a.txt', path.join(dir, 'link'));
    await git(dir, 'add', 'link');
    await git(dir, 'commit', '-q', '-m', 'link');
    await rm(path.join(dir, 'link'));
    await writeFile(path.join(dir, 'link'), 'now a file\n');
    const subject = await prepareSubject(dir, { kind: 'changes' }, signal);
    expect(subject.reviewedFiles).toEqual(['link']);
    expect(subject.scope.files.get('link')).toMatchObject({ lines: ['now a file'] });
    expect([...subject.scope.files.get('link')!.commentable!]).toEqual([1]);
  });

  it('says a text file git diffs as binary (.gitattributes -diff), and passes over a mode change or a rename alone', async () => {
    const dir = await repo({ '.gitattributes': '*.min.js -diff\n', 'app.min.js': 'var a=1;\n', 'run.sh': 'echo hi\n', 'old.txt': 'same\n', 'a.txt': 'a\n' });
    await writeFile(path.join(dir, 'app.min.js'), 'var a=2;\n');
    await chmod(path.join(dir, 'run.sh'), 0o755);
    await rename(path.join(dir, 'old.txt'), path.join(dir, 'new.txt'));
    await git(dir, 'add', '-A');
    await writeFile(path.join(dir, 'a.txt'), 'a\nb\n');
    const subject = await prepareSubject(dir, { kind: 'changes' }, signal);
    expect(subject.reviewedFiles).toEqual(['a.txt']);
    expect(subject.notes).toEqual(['Binary files were not reviewed: app.min.js.']);
  });
});
