/**
 * The diff as prompt text (server/src/git/diffContext.ts) on real repositories: which files are
 * quoted and which summarised (lockfiles, generated, vendored, binary, `.gitattributes`), the
 * ranges (staged, all with untracked files, between), and the cut to a budget said in the notes.
 */
import { stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { diffSection } from '../../server/src/git/diffContext';
import { literalPathspecBatches, PATHSPEC_BATCH_CHARS } from '../../server/src/git/diffEntries';
import { estimateTokens, renderDiff, type PlannedFile } from '../../server/src/git/diffRender';
import { builtInClass } from '../../server/src/git/fileClasses';
import { commitAll, createRepo, git, writeFiles } from '../support/gitRepos';

const signal = new AbortController().signal;

/** `count` numbered lines, each with a newline. */
function lines(count: number, label: string): string {
  return Array.from({ length: count }, (_, index) => `${label} line ${index + 1}`).join('\n') + '\n';
}

describe('which files are summarised', () => {
  it('knows lockfiles, generated and vendored files by name', () => {
    expect(builtInClass('package-lock.json')).toBe('lockfile');
    expect(builtInClass('rust/Cargo.lock')).toBe('lockfile');
    expect(builtInClass('go.sum')).toBe('lockfile');
    expect(builtInClass('web/app.min.js')).toBe('generated');
    expect(builtInClass('dist/index.js')).toBe('generated');
    expect(builtInClass('packages/a/dist/index.js')).toBe('generated');
    expect(builtInClass('src/api.generated.ts')).toBe('generated');
    expect(builtInClass('vendor/lib/x.go')).toBe('vendored');
    expect(builtInClass('a/node_modules/b/index.js')).toBe('vendored');
    expect(builtInClass('src/distance.ts')).toBeUndefined();
    expect(builtInClass('src/lock.json')).toBeUndefined();
  });

  it('quotes source files and summarises a lockfile with its line counts, a binary file in one line', async () => {
    const repo = await createRepo({ 'src/app.ts': 'export const a = 1;\n', 'package-lock.json': '{\n}\n', 'logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1]) }, { commit: 'first' });
    await writeFiles(repo, {
      'src/app.ts': 'export const a = 2;\n',
      'package-lock.json': `{\n${lines(40, '"dep": "1.0.0",')}}\n`,
      'logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 2, 3]),
      'icon.png': Buffer.from([0, 1, 2, 0, 255]),
    });
    await git(repo, 'add', '-A');

    const section = await diffSection(repo, { kind: 'staged' }, 10_000, signal);

    expect(section.text).toContain('diff --git a/src/app.ts b/src/app.ts\n@@ -1 +1 @@\n-export const a = 1;\n+export const a = 2;');
    expect(section.text).toContain('- package-lock.json (lockfile): +40 −0 lines');
    expect(section.text).not.toContain('"dep": "1.0.0"');
    expect(section.text).toContain('- Binary file logo.png changed');
    expect(section.text).toContain('- Binary file icon.png added');
    expect(section).toMatchObject({ filesShown: 1, filesSummarised: 3, linesLeftOut: 0 });
    expect(section.notes).toEqual(['Summarised rather than quoted: icon.png (binary), logo.png (binary), package-lock.json (lockfile).']);
  });

  it('follows .gitattributes: linguist-generated, linguist-vendored and -diff summarise, linguist-generated=false quotes', async () => {
    const repo = await createRepo(
      { '.gitattributes': 'schema/*.ts linguist-generated\nthird/** linguist-vendored\n*.svg -diff\ndist/** linguist-generated=false\n' },
      { commit: 'attributes' },
    );
    await writeFiles(repo, {
      'schema/types.ts': 'export type T = 1;\n',
      'third/lib.c': 'int x;\n',
      'art.svg': '<svg></svg>\n',
      'dist/keep.js': 'hand written\n',
    });
    await git(repo, 'add', '-A');

    const section = await diffSection(repo, { kind: 'staged' }, 10_000, signal);

    expect(section.text).toContain('- schema/types.ts (generated): +1 −0 lines');
    expect(section.text).toContain('- third/lib.c (vendored): +1 −0 lines');
    expect(section.text).toContain('- Binary file art.svg added (marked -diff in .gitattributes)');
    expect(section.text).not.toContain('<svg>');
    expect(section.text).toContain('+hand written');
  });

  it('runs no textconv or external diff program the repository configures', async () => {
    const repo = await createRepo({ '.gitattributes': '*.txt diff=shout\n', 'a.txt': 'one\n' }, { commit: 'first' });
    const marker = `${repo}/.git/ran`;
    await git(repo, 'config', 'diff.shout.textconv', `sh -c 'touch ${marker}; tr a-z A-Z < "$0"'`);
    await git(repo, 'config', 'diff.external', `sh -c 'touch ${marker}'`);
    await writeFiles(repo, { 'a.txt': 'two\n' });

    const section = await diffSection(repo, { kind: 'all' }, 10_000, signal);

    expect(section.text).toContain('-one\n+two');
    const { existsSync } = await import('node:fs');
    expect(existsSync(marker)).toBe(false);
  });
});

describe('pathspecs on a command line', () => {
  it('batches literal pathspecs by length (Windows: 32,767 characters a command line), in order, a long path alone', () => {
    const files = Array.from({ length: 3000 }, (_, index) => `packages/some-long-package-name/src/components/file-${index}.tsx`);
    const batches = literalPathspecBatches(files);
    expect(batches.length).toBeGreaterThan(1);
    for (const batch of batches) expect(batch.join(' ').length).toBeLessThanOrEqual(PATHSPEC_BATCH_CHARS);
    expect(batches.flat()).toEqual(files.map((file) => `:(literal)${file}`));
    expect(literalPathspecBatches(['a', 'x'.repeat(50), 'b'], 20)).toEqual([[':(literal)a'], [`:(literal)${'x'.repeat(50)}`], [':(literal)b']]);
    expect(literalPathspecBatches([])).toEqual([]);
  });
});

describe('the ranges', () => {
  it('staged shows only what is staged; all adds unstaged changes and untracked files, not ignored ones', async () => {
    const repo = await createRepo({ 'a.txt': 'a\n', 'b.txt': 'b\n', '.gitignore': 'build/\n' }, { commit: 'first' });
    await writeFiles(repo, { 'a.txt': 'a staged\n', 'b.txt': 'b unstaged\n', 'new [1].txt': 'brand new\n', 'build/out.txt': 'ignored\n' });
    await git(repo, 'add', 'a.txt');

    const staged = await diffSection(repo, { kind: 'staged' }, 10_000, signal);
    expect(staged.text).toContain('+a staged');
    expect(staged.text).not.toContain('b unstaged');
    expect(staged.text).not.toContain('brand new');

    const all = await diffSection(repo, { kind: 'all' }, 10_000, signal);
    expect(all.text).toContain('+a staged');
    expect(all.text).toContain('+b unstaged');
    expect(all.text).toContain('diff --git a/new [1].txt b/new [1].txt\nnew file');
    expect(all.text).not.toContain('ignored');
    // The repository's own index is left as it was: the untracked file is still untracked.
    expect(await git(repo, 'status', '--porcelain')).toBe('M  a.txt\n M b.txt\n?? "new [1].txt"\n');
  });

  it('all sees a change of the same size made in the same second as the last index write (racy git)', async () => {
    const repo = await createRepo({ 'a.txt': 'a\n' }, { commit: 'first' });
    await writeFiles(repo, { 'a.txt': 'b\n', 'new.txt': 'n\n' });
    // The diff runs in a later second than the write, as when a user asks a moment later: only
    // the index's own time then tells git that a.txt may have changed unseen.
    const second = Math.floor((await stat(`${repo}/a.txt`)).mtimeMs / 1000);
    while (Math.floor(Date.now() / 1000) <= second) await sleep(50);
    const all = await diffSection(repo, { kind: 'all' }, 10_000, signal);
    expect(all.text).toContain('-a\n+b');
    expect(all.text).toContain('+n');
  });

  it('works in a repository without commits and on a detached HEAD', async () => {
    const empty = await createRepo({ 'first.txt': 'hello\n' });
    expect((await diffSection(empty, { kind: 'all' }, 10_000, signal)).text).toContain('new file\n@@ -0,0 +1 @@\n+hello');
    await git(empty, 'add', '-A');
    expect((await diffSection(empty, { kind: 'staged' }, 10_000, signal)).text).toContain('+hello');

    const repo = await createRepo({ 'a.txt': 'a\n' }, { commit: 'first' });
    await git(repo, 'checkout', '-q', '--detach');
    await writeFiles(repo, { 'a.txt': 'detached\n' });
    expect((await diffSection(repo, { kind: 'all' }, 10_000, signal)).text).toContain('+detached');
  });

  it('between shows the changes of a branch since it forked', async () => {
    const repo = await createRepo({ 'a.txt': 'a\n' }, { commit: 'first' });
    await git(repo, 'checkout', '-q', '-b', 'feature');
    await writeFiles(repo, { 'feature.txt': 'feature\n' });
    await commitAll(repo, 'feature');
    await git(repo, 'checkout', '-q', 'main');
    await writeFiles(repo, { 'main.txt': 'later on main\n' });
    await commitAll(repo, 'main moves on');

    const section = await diffSection(repo, { kind: 'between', from: 'main', to: 'feature' }, 10_000, signal);
    expect(section.text).toContain('+feature');
    expect(section.text).not.toContain('later on main');
    await expect(diffSection(repo, { kind: 'between', from: '--output=x', to: 'feature' }, 10_000, signal)).rejects.toThrow('is not a branch, tag or commit name');
  });

  it('quotes the patch of files whose names git C-quotes (a quote, a backslash), added, deleted or untracked', async () => {
    const repo = await createRepo({ 'gone "d".ts': 'export const gone = 1;\n' }, { commit: 'first' });
    await git(repo, 'config', 'core.quotePath', 'true');
    await writeFiles(repo, { 'q"x.ts': 'export const quote = 1;\n', 'back\\slash.ts': 'export const backslash = 2;\n' });
    await git(repo, 'rm', '-q', 'gone "d".ts');
    await git(repo, 'add', '-A');
    await writeFiles(repo, { 'new"untracked.ts': 'export const untracked = 3;\n' });

    const staged = await diffSection(repo, { kind: 'staged' }, 10_000, signal);
    // Each file's header with its name as it is, then its lines (before the fix: the header alone).
    expect(staged.text).toContain('diff --git a/q"x.ts b/q"x.ts\nnew file\n@@ -0,0 +1 @@\n+export const quote = 1;');
    expect(staged.text).toContain('diff --git a/back\\slash.ts b/back\\slash.ts\nnew file\n@@ -0,0 +1 @@\n+export const backslash = 2;');
    expect(staged.text).toContain('diff --git a/gone "d".ts b/gone "d".ts\ndeleted file\n@@ -1 +0,0 @@\n-export const gone = 1;');
    expect(staged.filesShown).toBe(3);
    expect(staged.text).not.toContain('untracked');

    const all = await diffSection(repo, { kind: 'all' }, 10_000, signal);
    expect(all.text).toContain('+export const quote = 1;');
    expect(all.text).toContain('+export const untracked = 3;');
  });

  it('says when there are no changes, and refuses a folder that is not a repository', async () => {
    const repo = await createRepo({ 'a.txt': 'a\n' }, { commit: 'first' });
    expect(await diffSection(repo, { kind: 'all' }, 10_000, signal)).toEqual({ text: '', notes: [], filesShown: 0, filesSummarised: 0, linesLeftOut: 0, files: [] });
    const { mkdtemp } = await import('node:fs/promises');
    const plain = await mkdtemp(`${(await import('node:os')).tmpdir()}/moco-plain-`);
    await expect(diffSection(plain, { kind: 'all' }, 10_000, signal)).rejects.toMatchObject({ code: 1601, message: expect.stringContaining('is not in a git repository') as unknown });
  });
});

describe('the cut to a budget', () => {
  it('quotes the small files in full, one in part, summarises the rest, and says how much was left out', async () => {
    const files: Record<string, string> = {};
    for (let index = 0; index < 40; index++) files[`src/f${String(index).padStart(2, '0')}.ts`] = lines(20 + index * 10, `file ${index}`);
    const repo = await createRepo(files);
    await git(repo, 'add', '-A');

    const section = await diffSection(repo, { kind: 'staged' }, 3000, signal);

    expect(estimateTokens(section.text)).toBeLessThanOrEqual(3000);
    expect(section.filesShown + section.filesSummarised).toBe(40);
    expect(section.filesShown).toBeGreaterThan(3);
    expect(section.filesSummarised).toBeGreaterThan(20);
    // The smallest files are the ones quoted whole.
    expect(section.text).toContain('diff --git a/src/f00.ts b/src/f00.ts');
    expect(section.text).toContain("more changed lines of src/");
    expect(section.text).toContain('- src/f39.ts: +410 −0 lines, left out to fit');
    const note = section.notes.find((text) => text.startsWith('The diff was cut'))!;
    expect(note).toMatch(/^The diff was cut to fit the model's context: \d+ of 40 files in full, 1 in part, \d+ summarised, [\d,]+ lines left out\.$/);
    const total = Object.values(files).reduce((sum, text) => sum + text.split('\n').length - 1, 0);
    expect(section.linesLeftOut).toBeGreaterThan(total / 2);
    expect(note).toContain(`${section.linesLeftOut.toLocaleString('en-US')} lines left out`);
  });

  it('says nothing of a cut when everything fits', async () => {
    const repo = await createRepo({ 'a.txt': lines(30, 'a') });
    await git(repo, 'add', '-A');
    expect((await diffSection(repo, { kind: 'staged' }, 10_000, signal)).notes).toEqual([]);
  });

  it('lists at most 200 summary lines, then one line for the rest', () => {
    const files: PlannedFile[] = Array.from({ length: 250 }, (_, index) => ({ path: `gen/${index}.js`, added: 2, deleted: 1, binary: false, summaryClass: 'generated' }));
    const rendered = renderDiff(files, 100_000);
    expect(rendered.text.split('\n').filter((line) => line.startsWith('- gen/'))).toHaveLength(200);
    expect(rendered.text).toContain('- … and 50 more files: +100 −50 lines');
  });
});
