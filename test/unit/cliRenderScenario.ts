// A scripted run tree for the CLI renderer tests: an orchestrator delegates to a coder and a
// tester in one turn; the coder writes a file, the tester hits a 429, a loop limit and fails; the
// orchestrator's answer stream is cut once and retried.
import { type RunEvent, type RunNode, type Usage } from '../../protocol/run';

type EventBody = RunEvent extends infer E ? (E extends RunEvent ? Omit<E, 'runId' | 'seq' | 'time'> : never) : never;

/** 2026-11-21T10:00:00.000Z, the root's start. */
export const T0 = Date.parse('2026-11-21T10:00:00.000Z');

/** Builds events with increasing `seq`; `at` is ms after {@link T0}. */
export class EventScript {
  readonly events: RunEvent[] = [];
  private seq = 0;

  add(runId: string, atMs: number, body: EventBody): this {
    this.seq += 1;
    this.events.push({ runId, seq: this.seq, time: iso(atMs), ...body });
    return this;
  }
}

export function iso(atMs: number): string {
  return new Date(T0 + atMs).toISOString();
}

export function usage(inputTokens: number, outputTokens: number, costUsd: number): Usage {
  return { inputTokens, outputTokens, costUsd };
}

/** A node as `runStarted` carries it. */
export function node(fields: Partial<RunNode> & Pick<RunNode, 'id' | 'agent'>): RunNode {
  return {
    rootId: 'root',
    sessionId: 'session-1',
    task: `task of ${fields.agent}`,
    provider: 'openai',
    model: 'gpt-4o-mini',
    status: 'running',
    usage: usage(0, 0, 0),
    startedAt: iso(0),
    ...fields,
  };
}

export const LONG_TASK =
  'Write src/add.ts with a function add(a: number, b: number): number that returns the sum, ' +
  'export it, and keep the style of the other files in src/.';

/** The answer of the orchestrator. */
export const ANSWER = 'The coder wrote src/add.ts; the tester failed.';

/** The whole scenario, in `seq` order. */
export function delegationScenario(): RunEvent[] {
  const s = new EventScript();
  s.add('root', 0, { kind: 'runStarted', node: node({ id: 'root', agent: 'orchestrator', task: 'add an add function' }) })
    .add('root', 100, { kind: 'thinkingDelta', text: 'I should split the work.\n' })
    .add('root', 200, { kind: 'textDelta', text: 'Let me delegate.' })
    .add('root', 300, { kind: 'usage', usage: usage(1000, 50, 0.0002), treeUsage: usage(1000, 50, 0.0002) })
    .add('root', 310, {
      kind: 'toolStarted',
      toolCallId: 'call_1',
      name: 'delegate_to_agent',
      arguments: { agent_name: 'coder', task: LONG_TASK },
    })
    .add('root', 320, {
      kind: 'toolStarted',
      toolCallId: 'call_2',
      name: 'delegate_to_agent',
      arguments: { agent_name: 'tester', task: 'Write tests for add.' },
    })
    .add('coder', 330, {
      kind: 'runStarted',
      node: node({ id: 'coder', parentId: 'root', agent: 'coder', task: LONG_TASK, startedAt: iso(330), toolCallId: 'call_1' }),
    })
    .add('tester', 340, {
      kind: 'runStarted',
      node: node({ id: 'tester', parentId: 'root', agent: 'tester', startedAt: iso(340), toolCallId: 'call_2' }),
    })
    .add('coder', 400, { kind: 'thinkingDelta', text: 'A one-liner will do.' })
    .add('coder', 500, { kind: 'textDelta', text: 'Writing the file.\n' })
    .add('coder', 600, {
      kind: 'toolStarted',
      toolCallId: 'call_c1',
      name: 'write_file',
      arguments: { path: 'src/add.ts', content: 'export const add = (a: number, b: number) => a + b;\n' },
    })
    .add('tester', 700, {
      kind: 'retry',
      attempt: 1,
      delayMs: 2000,
      reason: 'HTTP 429 Too Many Requests',
      discardsPartialOutput: false,
    })
    .add('coder', 712, { kind: 'toolFinished', toolCallId: 'call_c1', name: 'write_file', ok: true, summary: 'wrote 1 line to src/add.ts', durationMs: 12 })
    .add('coder', 1000, { kind: 'usage', usage: usage(500, 100, 0.0003), treeUsage: usage(1500, 150, 0.0005) })
    .add('coder', 1100, { kind: 'textDelta', text: 'The add function is written.' })
    .add('coder', 1530, { kind: 'runFinished', status: 'done', result: 'The add function is written.' })
    .add('tester', 1600, { kind: 'usage', usage: usage(400, 80, 0.0002), treeUsage: usage(1900, 230, 0.0007) })
    .add('tester', 1700, {
      kind: 'limit',
      limit: 'loop',
      message: 'read_file was called 3 times with the same arguments; the call was blocked.',
    })
    .add('tester', 1840, {
      kind: 'runFinished',
      status: 'failed',
      error: { code: 1202, message: 'The provider kept failing (HTTP 500). Try again later, or choose another with --provider.' },
    })
    .add('root', 1850, { kind: 'toolFinished', toolCallId: 'call_1', name: 'delegate_to_agent', ok: true, summary: 'coder finished', durationMs: 1200 })
    .add('root', 1860, { kind: 'toolFinished', toolCallId: 'call_2', name: 'delegate_to_agent', ok: false, summary: 'tester failed: the provider kept failing', durationMs: 1500 })
    .add('root', 2000, { kind: 'textDelta', text: 'The coder wr' })
    .add('root', 2100, { kind: 'retry', attempt: 1, delayMs: 500, reason: 'the stream was cut', discardsPartialOutput: true })
    .add('root', 2700, { kind: 'textDelta', text: `${ANSWER}\n` })
    .add('root', 12_000, { kind: 'usage', usage: usage(2000, 120, 0.0004), treeUsage: usage(2900, 300, 0.0009) })
    .add('root', 12_300, { kind: 'runFinished', status: 'done', result: ANSWER });
  return s.events;
}
