// Approval of tool calls through the real engine: an Approver (the CLI's way) that denies,
// approves or approves always, the answer over `respondApproval` (the editor's way), and a
// cancel while a call waits.
import { access, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApprovalDecision, RunEvent } from '../../protocol/run';
import type { ApprovalRequest, Approver } from '../../server/src/orchestrator/approvals';
import { startHarness, type EngineHarness } from '../support/engineHarness';
import { byAgent, lastToolResult, ScriptedProvider } from '../support/scriptedProvider';

let harness: EngineHarness | undefined;
afterEach(async () => {
  await harness?.dispose();
  harness = undefined;
});

/** A writer that writes a.txt, then b.txt, then answers with what the last write gave. */
const writer = new Map([
  [0, { toolCalls: [{ name: 'write_file', arguments: { path: 'a.txt', content: 'A' } }] }],
  [1, { toolCalls: [{ name: 'write_file', arguments: { path: 'b.txt', content: 'B' } }] }],
]);

async function start(approver?: Approver): Promise<{ harness: EngineHarness; provider: ScriptedProvider }> {
  const provider = new ScriptedProvider(
    byAgent({ writer: (call) => writer.get(call.turn) ?? { text: `last result: ${lastToolResult(call.request)}` } }),
  );
  harness = await startHarness({
    team: { name: 'approval-team', agents: [{ name: 'writer', tools: ['write_file', 'read_file'], mode: 'primary' }] },
    provider,
    env: { MOCO_REQUIRE_APPROVAL: 'write_file' },
    ...(approver ? { approver } : {}),
  });
  return { harness, provider };
}

/** An approver that answers from a list, and records what it was asked. */
function answering(decisions: ApprovalDecision[]): Approver & { asked: ApprovalRequest[] } {
  const asked: ApprovalRequest[] = [];
  const approver = (request: ApprovalRequest): Promise<ApprovalDecision> => {
    asked.push(request);
    return Promise.resolve(decisions[asked.length - 1] ?? 'deny');
  };
  return Object.assign(approver, { asked });
}

const exists = (file: string): Promise<boolean> => access(file).then(() => true, () => false);
const kinds = (events: RunEvent[]): string[] =>
  events.flatMap((event) => (event.kind === 'statusChanged' ? [`status:${event.status}`] : event.kind.startsWith('approval') ? [event.kind] : []));

describe('approval of tool calls', () => {
  it('denied: the file is not written, the model reads that the user said no, and the run goes on', async () => {
    const approver = answering(['deny', 'deny']);
    const { harness, provider } = await start(approver);
    const root = await harness.run('write two files');
    expect(root.status).toBe('done');
    expect(await exists(path.join(harness.workDir, 'a.txt'))).toBe(false);
    expect(lastToolResult(provider.calls[1]!.request)).toBe('The user denied this call of write_file. Do not retry it; continue without it or explain what you need.');
    expect(approver.asked[0]).toMatchObject({ agent: 'writer', toolName: 'write_file', arguments: { path: 'a.txt', content: 'A' } });
    expect(kinds(harness.events)).toEqual([
      'status:waiting-for-approval', 'approvalRequested', 'approvalResolved', 'status:running',
      'status:waiting-for-approval', 'approvalRequested', 'approvalResolved', 'status:running',
    ]);
    expect(harness.events.find((event) => event.kind === 'approvalResolved')).toMatchObject({ decision: 'deny' });
  });

  it('approved: the call runs, and the next call is asked about again', async () => {
    const approver = answering(['approve', 'deny']);
    const { harness } = await start(approver);
    const root = await harness.run('write two files');
    expect(await readFile(path.join(harness.workDir, 'a.txt'), 'utf8')).toBe('A');
    expect(await exists(path.join(harness.workDir, 'b.txt'))).toBe(false);
    expect(approver.asked.map((request) => request.arguments)).toEqual([{ path: 'a.txt', content: 'A' }, { path: 'b.txt', content: 'B' }]);
    expect(root.result).toMatch(/^last result: The user denied/);
  });

  it('always: the tool is approved for the rest of the session without asking again', async () => {
    const approver = answering(['always']);
    const { harness } = await start(approver);
    const first = await harness.run('write two files');
    expect(await readFile(path.join(harness.workDir, 'b.txt'), 'utf8')).toBe('B');
    await harness.run('write them again', { sessionId: first.sessionId });
    expect(approver.asked).toHaveLength(1);
    expect(harness.events.filter((event) => event.kind === 'approvalRequested')).toHaveLength(1);
  });

  it('waits for respondApproval when no Approver is given, in status waiting-for-approval', async () => {
    const { harness } = await start();
    const run = await harness.send('write two files');
    const first = await harness.waitForEvent('approvalRequested');
    expect(harness.engine.getSession(run.sessionId).runs[0]?.status).toBe('waiting-for-approval');
    expect(harness.engine.respondApproval(first.approvalId, 'approve')).toBe(true);
    const secondRequest = await harness.waitForEvent('approvalRequested', (event) => event.approvalId !== first.approvalId);
    expect(harness.engine.respondApproval(secondRequest.approvalId, 'deny')).toBe(true);
    const root = await run.done;
    expect(root.status).toBe('done');
    // Answered: no longer pending.
    expect(harness.engine.respondApproval(secondRequest.approvalId, 'approve')).toBe(false);
    expect(await exists(path.join(harness.workDir, 'a.txt'))).toBe(true);
    expect(await exists(path.join(harness.workDir, 'b.txt'))).toBe(false);
  });

  it('cancelling a run that waits for approval ends it cancelled, and the approval is no longer pending', async () => {
    const { harness } = await start();
    const run = await harness.send('write two files');
    const request = await harness.waitForEvent('approvalRequested');
    expect(harness.engine.cancel(run.runId)).toBe(true);
    expect((await run.done).status).toBe('cancelled');
    expect(harness.engine.respondApproval(request.approvalId, 'approve')).toBe(false);
    expect(await exists(path.join(harness.workDir, 'a.txt'))).toBe(false);
  });
});
