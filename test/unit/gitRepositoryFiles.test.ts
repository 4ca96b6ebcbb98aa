/**
 * The repository's files that go into a prompt (commit template, commitlint configuration, pull
 * request template) are read only when they are its own: tracked links pointing at a secret outside
 * the repository, at `.git/config`, or at an ignored `.env` are not followed; the user's own
 * `commit.template` (global config) is read wherever it is. Real repositories with real links.
 */
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { findCommitlintConfig } from '../../server/src/git/commitlintConfig';
import { buildCommitPrompt } from '../../server/src/git/commitPrompt';
import { findCommitTemplate } from '../../server/src/git/commitTemplate';
import { findPullRequestTemplate } from '../../server/src/github/template';
import { commitAll, createRepo, git, writeFiles } from '../support/gitRepos';

const signal = new AbortController().signal;
const SECRET = 'AWS_SECRET_ACCESS_KEY=abc123';
const folders: string[] = [];

afterEach(async () => {
  vi.unstubAllEnvs();
  await Promise.all(folders.splice(0).map((folder) => rm(folder, { recursive: true, force: true })));
});

/** A folder outside any repository holding `secret.txt` (and `secret.json`, `github/pull_request_template.md`). */
async function secrets(): Promise<string> {
  const folder = await mkdtemp(path.join(tmpdir(), 'moco-secrets-'));
  folders.push(folder);
  await writeFiles(folder, { 'secret.txt': `${SECRET}\n`, 'secret.json': `{"rules": {}, "key": "${SECRET}"`, 'github/pull_request_template.md': `${SECRET}\n` });
  return folder;
}

/** A repository whose files `links` (path → target) are committed symbolic links, and a.ts changed. */
async function repoWithLinks(links: Record<string, string>, files: Record<string, string> = {}): Promise<string> {
  const repo = await createRepo({ 'a.ts': 'a\n', ...files });
  folders.push(path.dirname(repo));
  for (const [name, target] of Object.entries(links)) {
    await mkdir(path.dirname(path.join(repo, name)), { recursive: true });
    await symlink(target, path.join(repo, name));
  }
  await commitAll(repo, 'feat: first');
  await writeFiles(repo, { 'a.ts': 'b\n' });
  return repo;
}

describe("files read into a prompt are the repository's own", () => {
  it('a committed .gitmessage and commitlint.config.js linking to a secret outside are not in the commit prompt', async () => {
    const outside = await secrets();
    const repo = await repoWithLinks({ '.gitmessage': path.join(outside, 'secret.txt'), 'commitlint.config.js': path.join(outside, 'secret.txt') });

    const prompt = await buildCommitPrompt(repo, { contextWindow: 100_000 }, signal);

    expect(prompt.messages.map((message) => message.content).join('\n')).not.toContain('AWS_SECRET');
    expect(prompt.conventions.template).toBeUndefined();
    expect(prompt.conventions.templateSkipped).toBe('The commit template .gitmessage is a link to a file outside the repository (or inside .git), so MOCO did not read it.');
    expect(prompt.conventions.commitlint).toEqual({
      file: 'commitlint.config.js',
      rules: {},
      problems: ['commitlint.config.js is a link to a file outside the repository (or inside .git), so MOCO did not read it: its rules are not known or checked.'],
    });
  });

  it('a commitlint JSON or YAML link outside is not parsed (a parse error would quote it), nor one to .git/config', async () => {
    const outside = await secrets();
    const json = await repoWithLinks({ '.commitlintrc.json': path.join(outside, 'secret.json') });
    const config = (await findCommitlintConfig(json, signal))!;
    expect(JSON.stringify(config)).not.toContain('AWS_SECRET');
    expect(config.problems[0]).toContain('.commitlintrc.json is a link to a file outside the repository');

    const yaml = await repoWithLinks({ '.commitlintrc.yml': '.git/config' });
    expect((await findCommitlintConfig(yaml, signal))!.problems[0]).toContain('.commitlintrc.yml is a link to a file outside the repository (or inside .git)');
  });

  it('a link to an untracked file inside (the .env a user creates after cloning) is not read; one to a tracked file is', async () => {
    const repo = await repoWithLinks({ '.gitmessage': '.env' }, { '.gitignore': '.env\n' });
    await writeFile(path.join(repo, '.env'), `${SECRET}\n`);
    expect(await findCommitTemplate(repo, signal)).toEqual({
      source: '.gitmessage',
      skipped: 'The commit template .gitmessage is a link to a file git does not track, so MOCO did not read it.',
    });
    const untracked = await repoWithLinks({ '.commitlintrc': 'private/rules.yml' });
    await writeFiles(untracked, { 'private/rules.yml': `# ${SECRET}\n` });
    expect(await findCommitlintConfig(untracked, signal)).toMatchObject({
      problems: [expect.stringContaining('.commitlintrc is a link to a file git does not track') as unknown],
    });

    const shared = await repoWithLinks({ '.gitmessage': 'templates/commit.txt', '.commitlintrc.yml': 'config/commitlint.yml' }, {
      'templates/commit.txt': 'Why:\n',
      'config/commitlint.yml': 'rules:\n  header-max-length: [2, always, 50]\n',
    });
    expect(await findCommitTemplate(shared, signal)).toEqual({ source: '.gitmessage', text: 'Why:' });
    expect((await findCommitlintConfig(shared, signal))!.rules).toEqual({ 'header-max-length': [2, 'always', 50] });
  });

  it("commit.template outside the repository is read from the user's global config, not from the repository's", async () => {
    const outside = await secrets();
    await writeFile(path.join(outside, 'template.txt'), 'Ticket:\n');
    const repo = await repoWithLinks({});
    await git(repo, 'config', 'commit.template', path.join(outside, 'secret.txt'));
    // Said, and not replaced by a .gitmessage, which git would not use either.
    await writeFile(path.join(repo, '.gitmessage'), 'Not this one:\n');
    expect(await findCommitTemplate(repo, signal)).toEqual({
      source: path.join(outside, 'secret.txt'),
      skipped: `The commit template ${path.join(outside, 'secret.txt')} is outside the repository (or inside .git), or a link there, and the repository's own config names it, so MOCO did not read it; name it in your global git config to use it.`,
    });

    await git(repo, 'config', '--unset', 'commit.template');
    const home = path.join(outside, 'home');
    await writeFiles(home, { '.gitconfig': `[commit]\n\ttemplate = ${path.join(outside, 'template.txt')}\n` });
    vi.stubEnv('HOME', home);
    vi.stubEnv('XDG_CONFIG_HOME', path.join(home, '.config'));
    expect(await findCommitTemplate(repo, signal)).toEqual({ source: path.join(outside, 'template.txt'), text: 'Ticket:' });
  });

  it('a pull request template, or its folder, linking outside is not read', async () => {
    const outside = await secrets();
    const file = await repoWithLinks({ '.github/pull_request_template.md': path.join(outside, 'secret.txt') });
    expect(await findPullRequestTemplate(file, signal)).toBeUndefined();
    const folder = await repoWithLinks({ '.github': path.join(outside, 'github') });
    expect(await findPullRequestTemplate(folder, signal)).toBeUndefined();
    const inside = await repoWithLinks({ '.github/pull_request_template.md': '../docs/pr.md' }, { 'docs/pr.md': '## Why\n' });
    expect(await findPullRequestTemplate(inside, signal)).toEqual({ path: '.github/pull_request_template.md', text: '## Why' });
  });
});
