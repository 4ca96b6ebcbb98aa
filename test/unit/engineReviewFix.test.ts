// `review/fix` through the real engine with a scripted in-process provider: one fix sub-agent per
// finding, side by side but never more than `max_parallel_tasks`, the root making no model call;
// the fixer chosen from the profile; cancelling the root stops the fixes; an empty list is refused.
import { afterEach, describe, expect, it } from 'vitest';
import { MocoErrorCodes } from '../../protocol/errors';
import type { ReviewFinding } from '../../protocol/review';
import { startHarness, type EngineHarness } from '../support/engineHarness';
import { byAgent, gate, ScriptedProvider, type AgentReplies } from '../support/scriptedProvider';
import type { TeamAgent } from '../support/teams';

let harness: EngineHarness | undefined;
afterEach(async () => {
  await harness?.dispose();
  harness = undefined;
});

function finding(index: number, extra: Partial<ReviewFinding> = {}): ReviewFinding {
  return {
    id: `f${index}`,
    file: `src/file${index}.ts`,
    startLine: 10 + index,
    endLine: 10 + index,
    severity: 'high',
    category: 'bug',
    message: `bug number ${index}`,
    anchor: `const value${index} = broken();`,
    ...extra,
  };
}

async function start(agents: TeamAgent[], replies: AgentReplies, maxParallel = 2): Promise<{ harness: EngineHarness; provider: ScriptedProvider }> {
  const provider = new ScriptedProvider(byAgent(replies));
  harness = await startHarness({ team: { name: 'fix-team', agents, orchestrator: [`max_parallel_tasks: ${maxParallel}`] }, provider });
  return { harness, provider };
}

const withCoder: TeamAgent[] = [
  { name: 'orchestrator', tools: ['delegate_to_agent'] },
  { name: 'coder', tools: ['read_file'] },
];

describe('review/fix', () => {
  it('runs one coder per finding, at most max_parallel_tasks at once, and the root calls no model', async () => {
    let running = 0;
    let most = 0;
    const { harness, provider } = await start(withCoder, {
      coder: async (call) => {
        running += 1;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, 20));
        running -= 1;
        return { text: `fixed: ${/bug number \d/.exec(call.task)?.[0] ?? '?'}` };
      },
    });
    const findings = [finding(1), finding(2, { suggestion: 'const value2 = fixed();' }), finding(3)];
    const started = await harness.engine.fixFindings({ workingDir: harness.workDir, profile: 'fix-team', findings });
    const root = await started.done;
    expect(root.status).toBe('done');
    expect(root.agent).toBe('orchestrator');
    expect(root.task).toContain('Fix 3 code review findings');
    expect(root.task).toContain('src/file2.ts:12 (high, bug): bug number 2');
    expect(provider.callsOf('orchestrator')).toHaveLength(0);
    const children = harness.engine.getSession(started.sessionId).runs.filter((node) => node.parentId === root.id);
    expect(children.map((child) => [child.agent, child.status, child.result])).toEqual([
      ['coder', 'done', 'fixed: bug number 1'],
      ['coder', 'done', 'fixed: bug number 2'],
      ['coder', 'done', 'fixed: bug number 3'],
    ]);
    expect(most).toBe(2);
    // Each fixer is told where, what, the code as reviewed and the suggestion.
    const second = children[1]!.task;
    expect(second).toContain('src/file2.ts:12');
    expect(second).toContain('const value2 = broken();');
    expect(second).toContain('const value2 = fixed();');
    expect(children[0]!.task).not.toContain('suggested');
    // The root's answer is for the user: what each fixer said, no instruction meant for a model.
    expect(root.result).toBe('## @coder\nfixed: bug number 1\n\n## @coder\nfixed: bug number 2\n\n## @coder\nfixed: bug number 3');
  });

  it("uses the profile's entry agent as the fixer when the profile has no coder or refactorer", async () => {
    const { harness } = await start([{ name: 'orchestrator', tools: ['read_file'] }, { name: 'code-reviewer', tools: [] }], {
      orchestrator: () => ({ text: 'fixed by the orchestrator' }),
    });
    const started = await harness.engine.fixFindings({ workingDir: harness.workDir, profile: 'fix-team', findings: [finding(1)] });
    const root = await started.done;
    const children = harness.engine.getSession(started.sessionId).runs.filter((node) => node.parentId === root.id);
    expect(children.map((child) => [child.agent, child.status])).toEqual([['orchestrator', 'done']]);
  });

  it('cancelling the root cancels the fixes that run', async () => {
    const hold = gate();
    const { harness } = await start(withCoder, { coder: () => ({ waitFor: hold.promise, text: 'never' }) });
    const started = await harness.engine.fixFindings({ workingDir: harness.workDir, profile: 'fix-team', findings: [finding(1), finding(2)] });
    await harness.waitForEvent('runStarted', (event) => event.node.agent === 'coder');
    expect(harness.engine.cancel(started.runId)).toBe(true);
    const root = await started.done;
    expect(root.status).toBe('cancelled');
    const children = harness.engine.getSession(started.sessionId).runs.filter((node) => node.parentId === root.id);
    expect(children.length).toBeGreaterThan(0);
    for (const child of children) expect(child.status).toBe('cancelled');
    hold.open();
  });

  it('refuses an empty list with InvalidRequest and stores no session', async () => {
    const { harness } = await start(withCoder, {});
    await expect(harness.engine.fixFindings({ workingDir: harness.workDir, profile: 'fix-team', findings: [] })).rejects.toMatchObject({
      code: MocoErrorCodes.InvalidRequest,
      message: expect.stringContaining('Run a review first') as unknown,
    });
    expect(harness.engine.listSessions()).toEqual([]);
  });
});
