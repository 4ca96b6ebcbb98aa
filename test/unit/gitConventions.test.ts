/**
 * A repository's commit conventions (server/src/git/conventions.ts and its parts): commitlint
 * configurations in JSON, YAML and package.json with `extends` resolved, JS configurations read
 * but never run, rules in words and the lint of a message, commit templates, and the style of the
 * recent commits.
 */
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findCommitlintConfig, JS_CONFIG_MAX_CHARS } from '../../server/src/git/commitlintConfig';
import { describeRule, describeRules, lintMessage } from '../../server/src/git/commitlintRules';
import { findCommitTemplate } from '../../server/src/git/commitTemplate';
import { describeConventions, readConventions } from '../../server/src/git/conventions';
import { analyseMessages, readHistoryStyle } from '../../server/src/git/historyStyle';
import { commitAll, createRepo, git, writeFiles } from '../support/gitRepos';

const signal = new AbortController().signal;

describe('commitlint configurations', () => {
  it('reads .commitlintrc.json, resolving @commitlint/config-conventional from the bundled package, own rules over it', async () => {
    const repo = await createRepo({
      '.commitlintrc.json': JSON.stringify({ extends: ['@commitlint/config-conventional'], rules: { 'header-max-length': [2, 'always', 50], 'scope-enum': [2, 'always', ['ui', 'core']] } }),
    });
    const config = (await findCommitlintConfig(repo))!;
    expect(config.file).toBe('.commitlintrc.json');
    expect(config.problems).toEqual([]);
    expect(config.rules['header-max-length']).toEqual([2, 'always', 50]);
    expect(config.rules['type-enum']).toEqual([2, 'always', ['build', 'chore', 'ci', 'docs', 'feat', 'fix', 'perf', 'refactor', 'revert', 'style', 'test']]);
    const words = describeRules(config.rules);
    expect(words).toContain('The header (first line) must be at most 50 characters long (header-max-length).');
    expect(words).toContain('The scope, when there is one, must be one of: ui or core (scope-enum).');
    expect(words).toContain('The type must be one of: build, chore, ci, docs, feat, fix, perf, refactor, revert, style or test (type-enum).');
    expect(words).toContain('The subject must not be in sentence-case, start-case, pascal-case or upper-case (subject-case).');
    expect(words).toContain('Each line of the body must be at most 100 characters long (body-max-line-length).');
  });

  it('reads YAML (.commitlintrc.yml and the extension-less .commitlintrc) and the package.json field', async () => {
    const yml = await createRepo({ '.commitlintrc.yml': 'rules:\n  type-enum: [2, always, [feat, fix]]\n  body-leading-blank: [1, always]\n' });
    expect((await findCommitlintConfig(yml))!.rules).toEqual({ 'type-enum': [2, 'always', ['feat', 'fix']], 'body-leading-blank': [1, 'always'] });
    expect(describeRule('body-leading-blank', [1, 'always'])).toBe('The body should start after a blank line (body-leading-blank).');

    const rc = await createRepo({ '.commitlintrc': 'extends:\n  - "@commitlint/config-conventional"\n' });
    expect((await findCommitlintConfig(rc))!.rules['subject-empty']).toEqual([2, 'never']);

    const pkg = await createRepo({ 'package.json': JSON.stringify({ name: 'x', commitlint: { rules: { 'subject-full-stop': [2, 'never', '.'] } } }) });
    expect(await findCommitlintConfig(pkg)).toMatchObject({ file: 'package.json', rules: { 'subject-full-stop': [2, 'never', '.'] } });
    expect(describeRule('subject-full-stop', [2, 'never', '.'])).toBe('The subject must not end with "." (subject-full-stop).');

    const none = await createRepo({ 'package.json': JSON.stringify({ name: 'x' }) });
    expect(await findCommitlintConfig(none)).toBeUndefined();
  });

  it('says what it cannot use: an unknown extends, a malformed rule, a file that does not parse', async () => {
    const repo = await createRepo({
      '.commitlintrc.json': JSON.stringify({ extends: '@company/commitlint-config', rules: { 'type-case': [3, 'always', 'lower-case'], 'subject-empty': [2, 'never'] } }),
    });
    const config = (await findCommitlintConfig(repo))!;
    expect(config.rules).toEqual({ 'subject-empty': [2, 'never'] });
    expect(config.problems).toEqual([
      '.commitlintrc.json: It extends "@company/commitlint-config", which MOCO does not bundle: those rules are not known or checked.',
      '.commitlintrc.json: rule type-case has level 3 (0, 1 or 2 expected); it was not used.',
    ]);

    const broken = await createRepo({ '.commitlintrc.json': '{ "rules": ' });
    const bad = (await findCommitlintConfig(broken))!;
    expect(bad.rules).toEqual({});
    expect(bad.problems[0]).toMatch(/^The commitlint configuration could not be read: \.commitlintrc\.json is not valid: /);
  });

  it('does not run a JavaScript or TypeScript configuration: its text is given instead, cut to 2 KB', async () => {
    const marker = path.join(await mkdtemp(path.join(tmpdir(), 'moco-marker-')), 'ran');
    const program = `require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'ran');\nmodule.exports = { extends: ['@commitlint/config-conventional'] };\n`;
    for (const name of ['commitlint.config.js', 'commitlint.config.cjs', 'commitlint.config.mjs', '.commitlintrc.ts', 'commitlint.config.cts']) {
      const repo = await createRepo({ [name]: program });
      const config = (await findCommitlintConfig(repo))!;
      expect(config).toMatchObject({ file: name, rules: {}, programText: program, problems: [] });
      expect(existsSync(marker)).toBe(false);
      const text = describeConventions({ commitlint: config, history: analyseMessages([]) }, undefined);
      expect(text).toContain(`The repository has a commitlint configuration, ${name}. It is a program, which was not run`);
      expect(text).toContain("module.exports = { extends: ['@commitlint/config-conventional'] };");
    }
    const long = await createRepo({ 'commitlint.config.js': `// ${'x'.repeat(5000)}\nmodule.exports = {};\n` });
    const cut = (await findCommitlintConfig(long))!.programText!;
    expect(cut.length).toBeLessThan(JS_CONFIG_MAX_CHARS + 20);
    expect(cut.endsWith('… (cut)')).toBe(true);
  });

  it('lints a message with the rules, one note per broken rule', async () => {
    const rules = { 'header-max-length': [2, 'always', 30], 'type-enum': [2, 'always', ['feat', 'fix']], 'body-leading-blank': [1, 'always'] } as const;
    expect(await lintMessage('feat(ui): add the button', { ...rules } as never)).toEqual([]);
    expect(await lintMessage('Add a button that is longer than thirty characters\nbody', { ...rules } as never)).toEqual([
      'commitlint header-max-length: header must not be longer than 30 characters, current length is 50.',
      'commitlint body-leading-blank (warning): body must have leading blank line.',
    ]);
    expect(await lintMessage('chore: tidy', { 'type-enum': [2, 'always', ['feat']], 'my-plugin-rule': [2, 'always'] } as never)).toEqual([
      'commitlint type-enum: type must be one of [feat].',
      'commitlint rules from plugins were not checked: my-plugin-rule.',
    ]);
  });
});

describe('commit templates', () => {
  it('reads commit.template (relative to the root, or with ~/ from the global config) and drops comment lines', async () => {
    const repo = await createRepo({ 'tools/template.txt': '# Lines starting with # are dropped\nSummary:\n\nWhy:\n# trailing comment\n' });
    await git(repo, 'config', 'commit.template', 'tools/template.txt');
    expect(await findCommitTemplate(repo, signal)).toEqual({ source: 'tools/template.txt', text: 'Summary:\n\nWhy:' });

    // `~/` is the HOME of the git process: a temporary one here, whose global config names the
    // template (outside the repository, which only the user's own config may name).
    const home = await mkdtemp(path.join(tmpdir(), 'moco-home-'));
    await writeFiles(home, { 'template.txt': 'Ticket: \n', '.gitconfig': '[commit]\n\ttemplate = ~/template.txt\n' });
    const repo2 = await createRepo({});
    const saved = process.env.HOME;
    process.env.HOME = home;
    try {
      expect(await findCommitTemplate(repo2, signal)).toEqual({ source: path.join(home, 'template.txt'), text: 'Ticket:' });
    } finally {
      process.env.HOME = saved;
    }
  });

  it('falls back to .gitmessage at the root, honours core.commentChar, and has none when empty', async () => {
    const repo = await createRepo({ '.gitmessage': '; comment\n[type] subject\n' });
    await git(repo, 'config', 'core.commentChar', ';');
    expect(await findCommitTemplate(repo, signal)).toEqual({ source: '.gitmessage', text: '[type] subject' });
    expect(await findCommitTemplate(await createRepo({ '.gitmessage': '# only comments\n' }), signal)).toBeUndefined();
    expect(await findCommitTemplate(await createRepo({}), signal)).toBeUndefined();
  });
});

describe('the style of the recent commits', () => {
  it('sees Conventional Commits when most commits use it, with their types and scopes', async () => {
    const repo = await createRepo({ 'a.txt': '1' }, { commit: 'feat(ui): add the panel' });
    for (const [content, message] of [['2', 'fix(ui): close the panel'], ['3', 'feat(core)!: drop Node 18\n\nBREAKING CHANGE: Node 20+'], ['4', 'Update readme']] as const) {
      await writeFiles(repo, { 'a.txt': content });
      await commitAll(repo, message);
    }
    const style = await readHistoryStyle(repo, true, signal);
    expect(style).toMatchObject({ count: 4, conventionalCount: 3, conventional: true });
    expect(style.types).toEqual([{ name: 'feat', count: 2 }, { name: 'fix', count: 1 }]);
    expect(style.scopes).toEqual([{ name: 'ui', count: 2 }, { name: 'core', count: 1 }]);
    expect(style.subjects).toEqual(['Update readme', 'feat(core)!: drop Node 18', 'fix(ui): close the panel', 'feat(ui): add the panel']);
    const text = describeConventions({ history: style }, undefined);
    expect(text).toContain('- The recent commits follow Conventional Commits (3 of the last 4): write "type(scope): subject" the same way.');
    expect(text).toContain('Types they use: feat (2), fix (1).');
    expect(text).toContain('Scopes they use: ui (2), core (1).');
  });

  it('does not when only a minority does, and says the language: the setting, else the recent commits\', else English', () => {
    const style = analyseMessages(['Füge den Knopf hinzu', 'feat: x', 'Behebe den Fehler']);
    expect(style).toMatchObject({ conventional: false, conventionalCount: 1 });
    expect(describeConventions({ history: style }, undefined)).toContain('- Follow the style of the recent commits');
    expect(describeConventions({ history: style }, undefined)).toContain('Write the message in the language of the recent commits below');
    expect(describeConventions({ history: style }, 'Deutsch')).toContain('- Write the message in Deutsch.');
    expect(describeConventions({ history: analyseMessages([]) }, '')).toContain('- Write the message in English.');
    expect(describeConventions({ history: analyseMessages([]) }, undefined)).toContain("This is the repository's first commit.");
  });

  it('reads everything together, the template and commitlint before the history', async () => {
    const repo = await createRepo({ '.gitmessage': 'Why:\n', '.commitlintrc.yaml': 'rules:\n  header-max-length: [2, always, 60]\n' }, { commit: 'fix: one' });
    const conventions = await readConventions(repo, true, signal);
    const text = describeConventions(conventions, undefined);
    expect(text.indexOf('commitlint rules')).toBeLessThan(text.indexOf('commit template'));
    expect(text.indexOf('commit template')).toBeLessThan(text.indexOf('Recent commit subjects'));
    expect(text).toContain("- Fill the repository's commit template (.gitmessage); keep its headings and order:\n```\nWhy:\n```");
  });
});
