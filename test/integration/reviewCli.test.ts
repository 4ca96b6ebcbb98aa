// `moco review` end to end: the real CLI (dist/cli.js) against the mock LLM, which plays the
// reviewer. Findings are printed as path:line, --fail-on sets the exit status, --diff reviews only
// the changed lines of a real git repository (with or without commits), a malformed finding is
// skipped and said, and the review is a session like any other. Run `npm run build` first.
import { writeFile } from 'node:fs/promises';
import { mkdir } from 'node:fs/promises';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReviewRunResult } from '../../protocol/review';
import { createSandbox, type Sandbox } from '../support/cliHarness';
import { always, type MockLlm, type MockRequest } from '../support/mockLlm';
import { commitAll, git } from '../support/gitRepos';

/** A planted bug: the loop reads one past the end of `items`. */
const plantedBug = [
  'export interface Item {',
  '  price: number;',
  '}',
  '',
  'export function total(items: Item[]): number {',
  '  let sum = 0;',
  '  for (let i = 0; i <= items.length; i++) {',
  '    sum += items[i].price;',
  '  }',
  '  return sum;',
  '}',
  '',
].join('\n');

const offByOne = { file: 'src/app.ts', startLine: 7, endLine: 7, severity: 'high', category: 'bug', message: 'The loop reads `items[items.length]`, which is undefined.', suggestion: '  for (let i = 0; i < items.length; i++) {' };
const naming = { file: 'src/app.ts', startLine: 6, endLine: 6, severity: 'low', category: 'maintainability', message: '`sum` could be a reduce.' };

function reviewerAnswer(...lines: string[]): string {
  return ['I read src/app.ts.', '', '```json', ...lines, '```'].join('\n');
}

/** The task the reviewer was given: the first user message of the first chat request. */
function reviewTask(mock: MockLlm): string {
  const request: MockRequest | undefined = mock.chatRequests()[0];
  const user = request?.body.messages?.find((message) => message.role === 'user');
  return typeof user?.content === 'string' ? user.content : '';
}

let sandbox: Sandbox;
beforeEach(async () => {
  sandbox = await createSandbox();
  await git(sandbox.workspace, 'config', 'user.name', 'MOCO Test');
  await git(sandbox.workspace, 'config', 'user.email', 'moco-test@example.com');
  await git(sandbox.workspace, 'config', 'commit.gpgsign', 'false');
  await mkdir(path.join(sandbox.workspace, 'src'));
  await writeFile(path.join(sandbox.workspace, 'src/app.ts'), plantedBug);
});
afterEach(async () => {
  await sandbox.cleanup();
});

describe('moco review FILE', () => {
  it('prints each finding as path:line with its severity, category and suggestion, most severe first; the reviewer steps and a summary on stderr', async () => {
    const mock = await sandbox.startMock(always({ content: reviewerAnswer(JSON.stringify(naming), JSON.stringify(offByOne)) }));
    const result = await sandbox.run(['review', 'src/app.ts', '--profile', 'code']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      [
        'src/app.ts:7: high [bug] The loop reads `items[items.length]`, which is undefined.',
        '    suggestion:',
        '    |   for (let i = 0; i < items.length; i++) {',
        'src/app.ts:6: low [maintainability] `sum` could be a reduce.',
        '',
      ].join('\n'),
    );
    // The reviewer's progress (piped: plain lines) and cost, never its JSON answer, then the summary.
    const progress = result.stderr.split('\n');
    expect(progress[0]).toBe('[code-reviewer] started (openai/gpt-4.1-mini)');
    expect(progress[1]).toMatch(/^\[code-reviewer\] finished: done · [\d,]+ tokens · \$\d/);
    expect(result.stderr).not.toContain('"severity"');
    expect(result.stderr).toMatch(/\n2 findings: 1 high, 1 low\. Session \S+ \(code-reviewer\)\.\n$/);
    const task = reviewTask(mock);
    expect(task.split('\n')[0]).toBe('Review the file src/app.ts.');
    expect(task).toContain(' 7 |   for (let i = 0; i <= items.length; i++) {');
  });

  it('exits 1 with --fail-on high when a finding is high, and 0 when they are only low', async () => {
    await sandbox.startMock(always({ content: reviewerAnswer(JSON.stringify(offByOne), JSON.stringify(naming)) }));
    const failing = await sandbox.run(['review', 'src/app.ts', '--profile', 'code', '--fail-on', 'high']);
    expect(failing.code).toBe(1);
    expect(failing.stdout).toContain('src/app.ts:7: high [bug]');
    expect(failing.stderr).toContain('moco: 1 finding reaches --fail-on high');
    const medium = await sandbox.run(['review', 'src/app.ts', '--profile', 'code', '--fail-on', 'MEDIUM']);
    expect(medium.code).toBe(1);
  });

  it('exits 0 with --fail-on high when the findings are only low', async () => {
    await sandbox.startMock(always({ content: reviewerAnswer(JSON.stringify(naming)) }));
    const passing = await sandbox.run(['review', 'src/app.ts', '--profile', 'code', '--fail-on', 'high']);
    expect(passing.code).toBe(0);
    expect(passing.stdout).toBe('src/app.ts:6: low [maintainability] `sum` could be a reduce.\n');
  });

  it('skips a malformed finding line, says why on stderr, and prints the rest', async () => {
    await sandbox.startMock(always({ content: reviewerAnswer(JSON.stringify(offByOne), '{"file": "src/app.ts", "startLine": 3,', JSON.stringify({ ...naming, startLine: 40, endLine: 41 }), JSON.stringify(naming)) }));
    const result = await sandbox.run(['review', 'src/app.ts', '--profile', 'code']);
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n').filter((line) => line.startsWith('src/'))).toEqual([
      'src/app.ts:7: high [bug] The loop reads `items[items.length]`, which is undefined.',
      'src/app.ts:6: low [maintainability] `sum` could be a reduce.',
    ]);
    expect(result.stderr).toContain('skipped: not valid JSON: ');
    expect(result.stderr).toContain('skipped: lines 40–41 are outside src/app.ts (11 lines): ');
    expect(result.stderr).toMatch(/2 findings: 1 high, 1 low; 2 skipped\./);
  });

  it('prints the result as JSON with --json', async () => {
    await sandbox.startMock(always({ content: reviewerAnswer(JSON.stringify(offByOne)) }));
    const result = await sandbox.run(['review', 'src/app.ts', '--profile', 'code', '--json']);
    expect(result.code).toBe(0);
    const parsed = JSON.parse(result.stdout) as ReviewRunResult;
    expect(parsed).toMatchObject({ agent: 'code-reviewer', skipped: [], reviewedFiles: ['src/app.ts'], notes: [] });
    expect(parsed.findings).toEqual([{ ...offByOne, id: expect.stringMatching(/^[0-9a-f]{16}$/) as unknown, anchor: '  for (let i = 0; i <= items.length; i++) {' }]);
    expect(result.stderr).toBe('');
  });

  it('is a session like any other, listed by moco sessions list', async () => {
    await sandbox.startMock(always({ content: reviewerAnswer(JSON.stringify(offByOne)) }));
    const result = await sandbox.run(['review', 'src/app.ts', '--profile', 'code', '--json']);
    const { sessionId } = JSON.parse(result.stdout) as ReviewRunResult;
    const sessions = await sandbox.sessionsList();
    expect(sessions.map((session) => [session.id, session.name, session.profile])).toEqual([[sessionId, '@code-reviewer Review the file src/app.ts.', 'code']]);
    expect(sessions[0]!.usage.inputTokens).toBeGreaterThan(0);
  });

  it("uses the code profile's reviewer when the profile has none, and says so", async () => {
    await sandbox.startMock(always({ content: reviewerAnswer() }));
    const result = await sandbox.run(['review', 'src/app.ts']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("note: The profile default has no code-reviewer or security-reviewer agent, so the code profile's code-reviewer reviewed.");
    expect(result.stderr).toMatch(/No findings\. Session \S+ \(code-reviewer\)\./);
  });
});

describe('moco review: Ctrl+C', () => {
  it('cancels the reviewer on the first Ctrl+C and exits 130 with one line, printing no findings', async () => {
    const mock = await sandbox.startMock(always({ latencyMs: 60_000, content: reviewerAnswer(JSON.stringify(offByOne)) }));
    const cli = sandbox.start(['review', 'src/app.ts', '--profile', 'code']);
    await cli.waitFor(() => mock.chatRequests().length === 1, 'the reviewer calling the model');
    cli.child.kill('SIGINT');
    const result = await cli.exited;
    expect(result.code).toBe(130);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('Cancelling… (Ctrl+C again to quit at once)');
    expect(result.stderr.trimEnd().split('\n').at(-1)).toBe('moco: the review was cancelled');
    const [session] = await sandbox.sessionsList();
    expect((await sandbox.showSession(session!.id)).runs.map((node) => [node.agent, node.status])).toEqual([['code-reviewer', 'cancelled']]);
  });
});

describe('moco review --diff', () => {
  it('reviews only the changed lines of a real repository: the reviewer gets the diff, and a finding on an unchanged line is skipped and said', async () => {
    await writeFile(path.join(sandbox.workspace, 'src/app.ts'), plantedBug.replace('i <= items.length', 'i < items.length'));
    await commitAll(sandbox.workspace, 'first');
    await writeFile(path.join(sandbox.workspace, 'src/app.ts'), plantedBug);
    const mock = await sandbox.startMock(always({ content: reviewerAnswer(JSON.stringify(offByOne), JSON.stringify(naming)) }));
    const result = await sandbox.run(['review', '--diff', '--profile', 'code']);
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n').filter((line) => line.startsWith('src/'))).toEqual(['src/app.ts:7: high [bug] The loop reads `items[items.length]`, which is undefined.']);
    expect(result.stderr).toContain('skipped: line 6 of src/app.ts is not among the changed lines: ');
    const task = reviewTask(mock);
    expect(task).toContain('### src/app.ts (modified)');
    expect(task).toContain('   -   for (let i = 0; i < items.length; i++) {\n 7 +   for (let i = 0; i <= items.length; i++) {');
    expect(task).toContain('Comment only on changed lines');
    expect(task).not.toContain('price: number;');
  });

  it('--json names the changed files reviewed (a name git quotes too), without those left out', async () => {
    await writeFile(path.join(sandbox.workspace, 'notes "n".md'), 'notes\n');
    await commitAll(sandbox.workspace, 'first');
    await writeFile(path.join(sandbox.workspace, 'src/app.ts'), plantedBug.replace('let sum', 'let total'));
    await writeFile(path.join(sandbox.workspace, 'notes "n".md'), 'notes\nmore notes\n');
    await writeFile(path.join(sandbox.workspace, 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]));
    await sandbox.startMock(always({ content: reviewerAnswer() }));
    const result = await sandbox.run(['review', '--diff', '--profile', 'code', '--json']);
    expect(result.code).toBe(0);
    const parsed = JSON.parse(result.stdout) as ReviewRunResult;
    expect(parsed.reviewedFiles).toEqual(['notes "n".md', 'src/app.ts']);
    expect(parsed.notes).toEqual(['Binary files were not reviewed: logo.png.']);
  });

  it('works in a repository with no commits', async () => {
    const mock = await sandbox.startMock(always({ content: reviewerAnswer(JSON.stringify(naming)) }));
    const result = await sandbox.run(['review', '--diff', '--profile', 'code']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('src/app.ts:6: low [maintainability] `sum` could be a reduce.\n');
    expect(reviewTask(mock)).toContain('### src/app.ts (new, not yet added to git)');
  });

  it('says "No changes to review" and exits 2 when nothing changed, without calling the model', async () => {
    await commitAll(sandbox.workspace, 'first');
    const mock = await sandbox.startMock(always({ content: reviewerAnswer() }));
    const result = await sandbox.run(['review', '--diff', '--profile', 'code']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^moco: No changes to review in .*\n$/);
    expect(mock.chatRequests()).toEqual([]);
  });
});

describe('moco review: bad input', () => {
  it('exits 2 with one clear line for a missing target, both targets, and an unknown severity', async () => {
    await sandbox.startMock(always({ content: reviewerAnswer() }));
    const none = await sandbox.run(['review']);
    expect([none.code, none.stderr]).toEqual([2, 'moco: nothing to review: give a FILE (moco review src/app.ts), or --diff for the uncommitted changes\n']);
    const both = await sandbox.run(['review', 'src/app.ts', '--diff']);
    expect([both.code, both.stderr]).toEqual([2, 'moco: give a FILE or --diff, not both\n']);
    const severity = await sandbox.run(['review', 'src/app.ts', '--fail-on', 'severe']);
    expect([severity.code, severity.stderr]).toEqual([2, 'moco: --fail-on severe is not a severity: use one of info, low, medium, high, critical\n']);
    const option = await sandbox.run(['review', 'src/app.ts', '--frobnicate']);
    expect(option.code).toBe(2);
    expect(option.stderr).toContain("unknown option '--frobnicate'");
  });

  it('exits 2 for a file outside the working directory, a binary file, and an answer with no findings block', async () => {
    await writeFile(path.join(sandbox.root, 'outside.ts'), 'x\n');
    await writeFile(path.join(sandbox.workspace, 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]));
    await sandbox.startMock(always({ content: 'Looks mostly fine, but line 7 reads past the end.' }));
    const outside = await sandbox.run(['review', '../outside.ts', '--profile', 'code']);
    expect(outside.code).toBe(2);
    expect(outside.stderr).toMatch(/^moco: Cannot review \S*outside\.ts: path \S*outside\.ts is outside the working directory \S*workspace; use a path inside it\.\n$/);
    const binary = await sandbox.run(['review', 'logo.png', '--profile', 'code']);
    expect([binary.code, binary.stderr]).toEqual([2, 'moco: logo.png is a binary file; only text files can be reviewed.\n']);
    const prose = await sandbox.run(['review', 'src/app.ts', '--profile', 'code', '--fail-on', 'info']);
    expect(prose.code).toBe(2);
    expect(prose.stderr).toContain('moco: The reviewer code-reviewer answered without a findings block');
    expect(prose.stderr).toContain('It answered "Looks mostly fine, but line 7 reads past the end."');
  });

  it('exits 2 naming the valid agents for an unknown --agent', async () => {
    await sandbox.startMock(always({ content: reviewerAnswer() }));
    const result = await sandbox.run(['review', 'src/app.ts', '--profile', 'code', '--agent', 'linter']);
    expect([result.code, result.stderr]).toEqual([2, 'moco: No agent named "linter" in profile "code". Valid agents: code-reviewer, orchestrator.\n']);
  });
});
