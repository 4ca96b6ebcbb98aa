// `moco commit [--apply]` as a user runs it: the real CLI (dist/cli.js) on real git repositories,
// the mock LLM as the model. What the model was sent (the diff, the conventions) is read from the
// mock's requests; what the user sees is stdout (the message only) and stderr (notes, errors).
import { writeFileSync } from 'node:fs';
import { chmod, rename } from 'node:fs/promises';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../support/cliHarness';
import type { MockLlm, MockReply } from '../support/mockLlm';
import { commitAll, createRepo, git, writeFiles } from '../support/gitRepos';

let sandbox: Sandbox;
let mock: MockLlm;
let reply: MockReply;
/** Runs when the model is called, before it answers. */
let onModelCall: (() => void) | undefined;

beforeEach(async () => {
  sandbox = await createSandbox();
  reply = { content: 'Add the greeting\n\nUsers are greeted by name.' };
  onModelCall = undefined;
  mock = await sandbox.startMock(() => {
    onModelCall?.();
    return reply;
  });
});
afterEach(async () => {
  await sandbox.cleanup();
});

/** The user message of the one model call: the repository, its conventions and the diff. */
function prompt(): string {
  const requests = mock.chatRequests();
  expect(requests).toHaveLength(1);
  return String(requests[0]!.body.messages!.find((message) => message.role === 'user')!.content);
}

/** `moco commit ARGS` in `repo`. */
function commit(repo: string, ...args: string[]) {
  return sandbox.run(['commit', '-w', repo, ...args]);
}

describe('moco commit', () => {
  it("prints the model's message alone on stdout, and the model saw the staged diff, not the unstaged one", async () => {
    const repo = await createRepo({ 'greet.ts': 'export const hi = 1;\n', 'other.ts': 'x\n' }, { commit: 'Initial commit' });
    await writeFiles(repo, { 'greet.ts': 'export const hi = (name: string) => `hi ${name}`;\n', 'other.ts': 'not staged\n' });
    await git(repo, 'add', 'greet.ts');

    const result = await commit(repo);

    expect(result.code).toBe(0);
    expect(result.stdout).toBe('Add the greeting\n\nUsers are greeted by name.\n');
    expect(result.stderr).toBe('');
    expect(prompt()).toContain('Describe the staged changes below.');
    expect(prompt()).toContain('+export const hi = (name: string) => `hi ${name}`;');
    expect(prompt()).not.toContain('not staged');
    expect(mock.chatRequests()[0]!.body).toMatchObject({ temperature: 0.2, max_tokens: 400 });
    // Nothing was committed without --apply.
    expect(await git(repo, 'log', '--format=%s')).toBe('Initial commit\n');
  });

  it('describes all changes, new files included, when nothing is staged, and --apply commits them all', async () => {
    const repo = await createRepo({ 'a.txt': 'a\n' }, { commit: 'Initial commit' });
    await writeFiles(repo, { 'a.txt': 'changed\n', 'brand-new.txt': 'new file\n' });
    reply = { content: '```\nChange a and add brand-new\n```' };

    const result = await commit(repo, '--apply');

    expect(result.code).toBe(0);
    expect(result.stdout).toBe('Change a and add brand-new\n');
    expect(result.stderr).toContain('moco: nothing was staged, so the message describes all changes (new files included).');
    expect(result.stderr).toMatch(/moco: committed ([0-9a-f]{7,}) \(2 files\)\./);
    expect(prompt()).toContain('+changed');
    expect(prompt()).toContain('diff --git a/brand-new.txt b/brand-new.txt\nnew file');
    const hash = /committed ([0-9a-f]+)/.exec(result.stderr)![1]!;
    expect(await git(repo, 'log', '-1', '--format=%h %s')).toBe(`${hash} Change a and add brand-new\n`);
    expect(await git(repo, 'status', '--porcelain')).toBe('');
  });

  it('--apply with nothing staged commits the files the message describes, not one created while the model wrote', async () => {
    const repo = await createRepo({ 'a.txt': 'a\n', 'old-name.txt': 'moved\n' }, { commit: 'Initial commit' });
    await writeFiles(repo, { 'a.txt': 'changed\n' });
    await rename(path.join(repo, 'old-name.txt'), path.join(repo, 'new-name.txt'));
    reply = { content: 'Change a and rename old-name' };
    onModelCall = () => writeFileSync(path.join(repo, 'created-meanwhile.txt'), 'not described\n');

    const result = await commit(repo, '--apply');

    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/moco: committed [0-9a-f]+ \(3 files\)\./);
    expect(await git(repo, 'show', '--name-status', '--no-renames', '--format=%s', 'HEAD')).toBe('Change a and rename old-name\n\nM\ta.txt\nA\tnew-name.txt\nD\told-name.txt\n');
    expect(await git(repo, 'status', '--porcelain')).toBe('?? created-meanwhile.txt\n');
  });

  it('--apply commits only what was staged when something was', async () => {
    const repo = await createRepo({ 'a.txt': 'a\n', 'b.txt': 'b\n' }, { commit: 'Initial commit' });
    await writeFiles(repo, { 'a.txt': 'a2\n', 'b.txt': 'b2\n' });
    await git(repo, 'add', 'a.txt');

    const result = await commit(repo, '--apply');

    expect(result.code).toBe(0);
    expect(await git(repo, 'show', '--name-only', '--format=%s', 'HEAD')).toBe('Add the greeting\n\na.txt\n');
    expect(await git(repo, 'status', '--porcelain')).toBe(' M b.txt\n');
  });

  it('--apply stopped by Ctrl+C while the model writes exits 130 and commits nothing', async () => {
    const repo = await createRepo({ 'greet.ts': 'export const hi = 1;\n' }, { commit: 'Initial commit' });
    await writeFiles(repo, { 'greet.ts': 'export const hi = 2;\n' });
    reply = { latencyMs: 60_000, content: 'Too late' };
    const cli = sandbox.start(['commit', '-w', repo, '--apply']);
    await cli.waitFor(() => mock.chatRequests().length === 1, 'the model call');
    cli.child.kill('SIGINT');
    const result = await cli.exited;
    expect(result.code).toBe(130);
    expect(result.stdout).toBe('');
    expect(result.stderr.trimEnd().split('\n').at(-1)).toBe('moco: cancelled; nothing was committed');
    expect(await git(repo, 'log', '--format=%s')).toBe('Initial commit\n');
    expect(await git(repo, 'status', '--porcelain')).toBe(' M greet.ts\n');
  });

  it('says there is nothing to describe and exits 1 when there are no changes', async () => {
    const repo = await createRepo({ 'a.txt': 'a\n' }, { commit: 'Initial commit' });
    const result = await commit(repo, '--apply');
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`moco: No changes to describe in ${repo}: stage or make a change first.\n`);
    expect(mock.chatRequests()).toHaveLength(0);
  });

  it('refuses a repository with unresolved merge conflicts, naming the files, and a folder outside any repository', async () => {
    const repo = await createRepo({ 'a.txt': 'base\n' }, { commit: 'base' });
    await git(repo, 'checkout', '-q', '-b', 'other');
    await writeFiles(repo, { 'a.txt': 'other\n' });
    await commitAll(repo, 'other');
    await git(repo, 'checkout', '-q', 'main');
    await writeFiles(repo, { 'a.txt': 'main\n' });
    await commitAll(repo, 'main');
    await git(repo, 'merge', 'other').catch(() => undefined);

    const conflicted = await commit(repo);
    expect(conflicted.code).toBe(1);
    expect(conflicted.stderr).toBe(`moco: ${repo} has unresolved merge conflicts in a.txt. Resolve them and stage the files (git add), or abort the merge, first.\n`);

    const outside = await commit(sandbox.home);
    expect(outside.code).toBe(1);
    expect(outside.stderr).toMatch(/^moco: .* is not in a git repository with a working tree \(.*\)\. Open a folder inside one, or run "git init" there\.\n$/);
    expect(mock.chatRequests()).toHaveLength(0);
  });

  it('works on a detached HEAD and in a repository without commits, where --apply makes the first commit', async () => {
    const detached = await createRepo({ 'a.txt': 'a\n' }, { commit: 'Initial commit' });
    await git(detached, 'checkout', '-q', '--detach');
    await writeFiles(detached, { 'a.txt': 'detached change\n' });
    const onDetached = await commit(detached, '--apply');
    expect(onDetached.code).toBe(0);
    expect(await git(detached, 'log', '-1', '--format=%s')).toBe('Add the greeting\n');

    const fresh = await createRepo({ 'README.md': '# New project\n' });
    const first = await commit(fresh, '--apply');
    expect(first.code).toBe(0);
    expect(await git(fresh, 'log', '--format=%s')).toBe('Add the greeting\n');
    const prompts = mock.chatRequests().map((request) => String(request.body.messages![1]!.content));
    expect(prompts[0]).toContain('on a detached HEAD');
    expect(prompts[0]).toContain('+detached change');
    expect(prompts[1]).toContain('a new repository with no commits yet (this will be its first commit)');
    expect(prompts[1]).toContain('diff --git a/README.md b/README.md\nnew file\n@@ -0,0 +1 @@\n+# New project');
  });

  it('summarises a binary file and a lockfile instead of quoting them', async () => {
    const repo = await createRepo({ 'package.json': '{}\n' }, { commit: 'Initial commit' });
    const lock = JSON.stringify({ name: 'x', lockfileVersion: 3, packages: { 'node_modules/left-pad': { version: '1.3.0', integrity: 'sha512-SECRETLYLONG' } } }, null, 2);
    await writeFiles(repo, { 'package.json': '{ "dependencies": { "left-pad": "1.3.0" } }\n', 'package-lock.json': `${lock}\n`, 'logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]) });
    await git(repo, 'add', '-A');

    const result = await commit(repo);

    expect(result.code).toBe(0);
    expect(prompt()).toContain('+{ "dependencies": { "left-pad": "1.3.0" } }');
    expect(prompt()).toContain('- Binary file logo.png added');
    expect(prompt()).toMatch(/- package-lock\.json \(lockfile\): \+\d+ −0 lines/);
    expect(prompt()).not.toContain('SECRETLYLONG');
    expect(result.stderr).toContain('moco: note: Summarised rather than quoted: logo.png (binary), package-lock.json (lockfile).');
  });

  it("cuts a diff too big for the model's context and says so", async () => {
    const files: Record<string, string> = {};
    for (let index = 0; index < 50; index++) files[`src/module${index}.ts`] = Array.from({ length: 120 }, (_, line) => `export const value${line} = ${index * 1000 + line}; // padding padding padding`).join('\n') + '\n';
    const repo = await createRepo(files);
    await git(repo, 'add', '-A');

    // A model the table does not know: its window is taken as 32,768 tokens.
    const result = await commit(repo, '--model', 'mock-small-model');

    expect(result.code).toBe(0);
    expect(mock.chatRequests()[0]!.body.model).toBe('mock-small-model');
    expect(result.stderr).toMatch(/moco: note: The diff was cut to fit the model's context: \d+ of 50 files in full, (1 in part, )?\d+ summarised, [\d,]+ lines left out\./);
    expect(prompt()).toContain(', left out to fit');
    // The request fits the model's window.
    expect(prompt().length / 3.5).toBeLessThan(32_768);
  });

  it('follows Conventional Commits when the recent commits do, and the language asked for', async () => {
    const repo = await createRepo({ 'a.txt': '1' }, { commit: 'feat(api): add the endpoint' });
    await writeFiles(repo, { 'a.txt': '2' });
    await commitAll(repo, 'fix(api): handle empty bodies');
    await writeFiles(repo, { 'a.txt': '3' });

    const result = await commit(repo, '--language', 'Deutsch');

    expect(result.code).toBe(0);
    expect(prompt()).toContain('- Write the message in Deutsch.');
    expect(prompt()).toContain('- The recent commits follow Conventional Commits (2 of the last 2): write "type(scope): subject" the same way.');
    expect(prompt()).toContain('Types they use: feat (1), fix (1).');
    expect(prompt()).toContain('Scopes they use: api (2).');
  });

  it("gives the commitlint rules to the model and reports the message's violations", async () => {
    const config = { extends: ['@commitlint/config-conventional'], rules: { 'header-max-length': [2, 'always', 40] } };
    const repo = await createRepo({ '.commitlintrc.json': JSON.stringify(config), 'a.txt': 'a\n' }, { commit: 'chore: add commitlint' });
    await writeFiles(repo, { 'a.txt': 'b\n' });
    reply = { content: 'Update a.txt so that it says b instead of a, which is better' };

    const result = await commit(repo);

    expect(result.code).toBe(0);
    expect(prompt()).toContain("- The message must pass the repository's commitlint rules (.commitlintrc.json):");
    expect(prompt()).toContain('  - The header (first line) must be at most 40 characters long (header-max-length).');
    expect(result.stderr).toContain('moco: note: commitlint header-max-length: header must not be longer than 40 characters, current length is 60.');
    expect(result.stderr).toContain('moco: note: commitlint type-empty: type may not be empty.');
  });

  it('fills the commit template, and a hook that refuses the commit is an error', async () => {
    const repo = await createRepo({ '.gitmessage': '# Explain why\nWhy:\n\nRisk:\n', 'a.txt': 'a\n' }, { commit: 'Initial commit' });
    await writeFiles(repo, { 'a.txt': 'b\n', '.git/hooks/pre-commit': '#!/bin/sh\necho "tests failed" >&2\nexit 1\n' });
    await chmod(path.join(repo, '.git/hooks/pre-commit'), 0o755);

    const result = await commit(repo, '--apply');

    expect(prompt()).toContain("- Fill the repository's commit template (.gitmessage); keep its headings and order:\n```\nWhy:\n\nRisk:\n```");
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('Add the greeting\n\nUsers are greeted by name.\n');
    expect(result.stderr).toContain('moco: git commit failed: tests failed\n');
    expect(await git(repo, 'log', '--format=%s')).toBe('Initial commit\n');
  });
});
