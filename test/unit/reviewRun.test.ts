// runReview through the real engine with a scripted in-process provider: which reviewer runs, what
// it is asked, the findings read from its answer, and the failures (an unknown agent, an answer
// with no findings block, a failed run, a cancelled one).
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MocoErrorCodes } from '../../protocol/errors';
import { MocoError } from '../../server/src/orchestrator/errors';
import { runReview } from '../../server/src/review/runReview';
import { startHarness, type EngineHarness } from '../support/engineHarness';
import { gate, ScriptedProvider, type ProviderScript } from '../support/scriptedProvider';
import type { TeamAgent } from '../support/teams';

let harness: EngineHarness | undefined;
afterEach(async () => {
  await harness?.dispose();
  harness = undefined;
});

const appSource = ['export function first(items: number[]): number {', '  return items[0];', '}', ''].join('\n');
const answer = [
  'One problem.',
  '```json',
  JSON.stringify({ file: 'src/app.ts', startLine: 2, endLine: 2, severity: 'medium', category: 'bug', message: 'Empty arrays give undefined.', suggestion: '  return items[0] ?? 0;' }),
  '```',
].join('\n');

async function start(agents: TeamAgent[], script: ProviderScript): Promise<{ harness: EngineHarness; provider: ScriptedProvider }> {
  const provider = new ScriptedProvider(script);
  harness = await startHarness({ team: { name: 'review-team', agents }, provider });
  await import('node:fs/promises').then((fs) => fs.mkdir(path.join(harness!.workDir, 'src'), { recursive: true }));
  await writeFile(path.join(harness.workDir, 'src/app.ts'), appSource);
  return { harness, provider };
}

const orchestrator: TeamAgent = { name: 'orchestrator', tools: ['delegate_to_agent'] };
const codeReviewer: TeamAgent = { name: 'code-reviewer', tools: ['read_file'] };
const securityReviewer: TeamAgent = { name: 'security-reviewer', tools: ['read_file'] };
const signal = (): AbortSignal => new AbortController().signal;

describe('runReview', () => {
  it("runs the profile's code-reviewer on the file as a new session and returns its findings", async () => {
    const { harness, provider } = await start([orchestrator, securityReviewer, codeReviewer], () => ({ text: answer }));
    const result = await runReview(harness.engine, { workingDir: harness.workDir, profile: 'review-team', target: { kind: 'file', file: 'src/app.ts' } }, signal());
    expect(result.agent).toBe('code-reviewer');
    expect(provider.calls.map((call) => call.agent)).toEqual(['code-reviewer']);
    expect(provider.calls[0]!.task.split('\n')[0]).toBe('Review the file src/app.ts.');
    expect(provider.calls[0]!.task).toContain('2 |   return items[0];');
    expect(result.findings).toEqual([
      {
        id: expect.stringMatching(/^[0-9a-f]{16}$/) as unknown,
        file: 'src/app.ts',
        startLine: 2,
        endLine: 2,
        severity: 'medium',
        category: 'bug',
        message: 'Empty arrays give undefined.',
        suggestion: '  return items[0] ?? 0;',
        anchor: '  return items[0];',
      },
    ]);
    expect(result.skipped).toEqual([]);
    expect(result.reviewedFiles).toEqual(['src/app.ts']);
    expect(result.notes).toEqual([]);
    const session = harness.engine.listSessions().find((candidate) => candidate.id === result.sessionId);
    expect(session?.name).toBe('@code-reviewer Review the file src/app.ts.');
    expect(harness.engine.getSession(result.sessionId).runs.find((node) => node.id === result.runId)).toMatchObject({ agent: 'code-reviewer', status: 'done' });
  });

  it('answers the reviewed file of a selection named by its absolute path, relative and with / separators, even with no findings', async () => {
    const { harness } = await start([orchestrator, codeReviewer], () => ({ text: '```json\n```' }));
    const target = { kind: 'selection' as const, file: path.join(harness.workDir, 'src', 'app.ts'), startLine: 2, endLine: 2 };
    const result = await runReview(harness.engine, { workingDir: harness.workDir, profile: 'review-team', target }, signal());
    expect(result.findings).toEqual([]);
    expect(result.reviewedFiles).toEqual(['src/app.ts']);
  });

  it('takes the security-reviewer when the profile has no code-reviewer, and the agent asked for (any case) when one is', async () => {
    const { harness, provider } = await start([orchestrator, securityReviewer, { name: 'auditor', tools: ['read_file'] }], () => ({ text: '```json\n```' }));
    const params = { workingDir: harness.workDir, profile: 'review-team', target: { kind: 'file' as const, file: 'src/app.ts' } };
    expect((await runReview(harness.engine, params, signal())).agent).toBe('security-reviewer');
    expect((await runReview(harness.engine, { ...params, agent: 'Auditor' }, signal())).agent).toBe('auditor');
    expect(provider.calls.map((call) => call.agent)).toEqual(['security-reviewer', 'auditor']);
  });

  it("falls back to the bundled code profile's code-reviewer when the profile has no reviewer, and says so", async () => {
    const { harness, provider } = await start([orchestrator], () => ({ text: answer }));
    const result = await runReview(harness.engine, { workingDir: harness.workDir, profile: 'review-team', target: { kind: 'file', file: 'src/app.ts' } }, signal());
    expect(result.agent).toBe('code-reviewer');
    expect(result.findings).toHaveLength(1);
    expect(result.notes).toEqual([expect.stringMatching(/^The profile review-team has no code-reviewer or security-reviewer agent, so the code profile's code-reviewer reviewed\./) as unknown]);
    expect(provider.calls[0]!.request.messages[0]!.content).toContain('You are a senior engineer doing code review.');
    expect(harness.engine.listSessions().find((session) => session.id === result.sessionId)?.profile).toBe('code');
  });

  it('refuses an unknown agent, listing the profile\'s agents, before any model call', async () => {
    const { harness, provider } = await start([orchestrator, codeReviewer], () => ({ text: answer }));
    await expect(runReview(harness.engine, { workingDir: harness.workDir, profile: 'review-team', agent: 'linter', target: { kind: 'file', file: 'src/app.ts' } }, signal())).rejects.toMatchObject({
      code: MocoErrorCodes.UnknownAgent,
      message: 'No agent named "linter" in profile "review-team". Valid agents: code-reviewer, orchestrator.',
    });
    expect(provider.calls).toEqual([]);
  });

  it('fails with ReviewAnswerInvalid, quoting the answer, when it holds no findings block', async () => {
    const { harness } = await start([orchestrator, codeReviewer], () => ({ text: 'Verdict: CHANGES REQUESTED\n\nMajor\n1. `src/app.ts:2` — empty arrays.' }));
    const failure = runReview(harness.engine, { workingDir: harness.workDir, profile: 'review-team', target: { kind: 'file', file: 'src/app.ts' } }, signal());
    await expect(failure).rejects.toBeInstanceOf(MocoError);
    await expect(failure).rejects.toMatchObject({
      code: MocoErrorCodes.ReviewAnswerInvalid,
      message: expect.stringContaining('It answered "Verdict: CHANGES REQUESTED Major 1. `src/app.ts:2` — empty arrays.". Run the review again, or use another model') as unknown,
    });
  });

  it("fails with the run's own error when the reviewer's run fails", async () => {
    const { harness } = await start([orchestrator, codeReviewer], () => {
      throw new MocoError(MocoErrorCodes.ProviderRejected, 'The provider refused the key.');
    });
    await expect(runReview(harness.engine, { workingDir: harness.workDir, profile: 'review-team', target: { kind: 'file', file: 'src/app.ts' } }, signal())).rejects.toMatchObject({
      code: MocoErrorCodes.ProviderRejected,
      message: 'The review by code-reviewer failed: The provider refused the key.',
    });
  });

  it('cancels the reviewer\'s run when the signal aborts, and rejects with the abort', async () => {
    const started = gate();
    const { harness } = await start([orchestrator, codeReviewer], () => {
      started.open();
      return { hang: true };
    });
    const controller = new AbortController();
    const review = runReview(harness.engine, { workingDir: harness.workDir, profile: 'review-team', target: { kind: 'file', file: 'src/app.ts' } }, controller.signal);
    await started.promise;
    controller.abort();
    await expect(review).rejects.toMatchObject({ name: 'AbortError' });
    const session = harness.engine.listSessions()[0]!;
    expect(harness.engine.getSession(session.id).runs[0]).toMatchObject({ agent: 'code-reviewer', status: 'cancelled' });
  });
});
