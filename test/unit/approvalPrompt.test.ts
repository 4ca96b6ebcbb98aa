import { PassThrough } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import {
  type ApprovalRequest,
  createTerminalApprover,
  type TerminalApproverOptions,
} from '../../server/src/cli/approvalPrompt';

const request: ApprovalRequest = {
  toolName: 'write_file',
  arguments: { path: 'src/add.ts', content: 'export {};' },
  reason: 'it changes a file',
  agent: 'coder',
};

const QUESTION =
  'Allow coder to run write_file {"path":"src/add.ts","content":"export {};"}? [y]es / [n]o / [a]lways for this session ';

/** A fake terminal: what the user types, and everything written to the screen so far. */
function terminal(overrides: Partial<TerminalApproverOptions> = {}) {
  const input = new PassThrough();
  const output = new PassThrough();
  let screen = '';
  output.on('data', (chunk: Buffer) => {
    screen += chunk.toString('utf8');
  });
  const approve = createTerminalApprover({ input, output, isTTY: true, yes: false, ...overrides });
  return {
    input,
    approve,
    screen: () => screen,
    /** Waits until the screen shows `text` `times` times. */
    waitFor: (text: string, times = 1) =>
      vi.waitFor(() => expect(screen.split(text).length - 1).toBeGreaterThanOrEqual(times)),
  };
}

describe('terminal approver', () => {
  it('approves without asking with --yes', async () => {
    const t = terminal({ yes: true, isTTY: false });
    await expect(t.approve(request, new AbortController().signal)).resolves.toBe('approve');
    expect(t.screen()).toBe('');
  });

  it('denies without a terminal and says that --yes would approve', async () => {
    const t = terminal({ isTTY: false });
    await expect(t.approve(request, new AbortController().signal)).resolves.toBe('deny');
    await t.waitFor('--yes');
    expect(t.screen()).toBe(
      'Denied: coder wants to run write_file, which needs approval (it changes a file), and there ' +
        'is no terminal to ask on. Run with --yes to approve tool calls without asking.\n',
    );
  });

  it('asks on a terminal and answers always for a', async () => {
    const t = terminal();
    const decision = t.approve(request, new AbortController().signal);
    await t.waitFor(QUESTION);
    expect(t.screen()).toContain('Approval needed: it changes a file\n');
    t.input.write('a\n');
    await expect(decision).resolves.toBe('always');
  });

  it('asks again until the answer is y, n or a', async () => {
    const t = terminal();
    const decision = t.approve(request, new AbortController().signal);
    await t.waitFor(QUESTION);
    t.input.write('maybe\n');
    await t.waitFor(QUESTION, 2);
    expect(t.screen()).toContain('Please answer y (yes), n (no) or a (always for this session).');
    t.input.write('YES\n');
    await expect(decision).resolves.toBe('approve');
  });

  it('denies on an empty answer and at the end of input', async () => {
    const t = terminal();
    const first = t.approve(request, new AbortController().signal);
    await t.waitFor(QUESTION);
    t.input.write('\n');
    await expect(first).resolves.toBe('deny');
    const second = t.approve(request, new AbortController().signal);
    await t.waitFor(QUESTION, 2);
    t.input.end();
    await expect(second).resolves.toBe('deny');
  });

  it('rejects with the reason of the signal when the run is cancelled', async () => {
    const t = terminal();
    const controller = new AbortController();
    const decision = t.approve(request, controller.signal);
    await t.waitFor(QUESTION);
    const reason = new Error('run cancelled');
    controller.abort(reason);
    await expect(decision).rejects.toBe(reason);
    // The terminal is free again for the next question.
    const next = t.approve(request, new AbortController().signal);
    await t.waitFor(QUESTION, 2);
    t.input.write('n\n');
    await expect(next).resolves.toBe('deny');
  });

  it('asks one question at a time, and drops a queued one whose run is cancelled', async () => {
    const resumes: string[] = [];
    const t = terminal({
      suspendOutput: () => {
        resumes.push('suspend');
        return () => resumes.push('resume');
      },
    });
    const tester = { ...request, agent: 'tester', toolName: 'run_tests', arguments: {} };
    const reviewer = { ...request, agent: 'reviewer', toolName: 'edit_file', arguments: {} };
    const first = t.approve(request, new AbortController().signal);
    const second = t.approve(tester, new AbortController().signal);
    const cancelled = new AbortController();
    const third = t.approve(reviewer, cancelled.signal);
    await t.waitFor(QUESTION);
    cancelled.abort(new Error('reviewer cancelled'));
    await expect(third).rejects.toThrow('reviewer cancelled');
    expect(t.screen()).not.toContain('Allow tester');
    t.input.write('y\n');
    await expect(first).resolves.toBe('approve');
    await t.waitFor('Allow tester to run run_tests {}?');
    t.input.write('n\n');
    await expect(second).resolves.toBe('deny');
    expect(t.screen()).not.toContain('Allow reviewer');
    expect(resumes).toEqual(['suspend', 'resume', 'suspend', 'resume']);
  });

  it('rejects at once when the signal is already aborted', async () => {
    const t = terminal({ yes: true });
    const controller = new AbortController();
    controller.abort(new Error('too late'));
    await expect(t.approve(request, controller.signal)).rejects.toThrow('too late');
  });
});
