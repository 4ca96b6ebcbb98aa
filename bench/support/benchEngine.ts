/**
 * The engine of `npm run bench:orchestrator`: a real {@link MocoEngine} (engineHarness.ts) whose
 * agents answer as a {@link Brain} says, either over the HTTP mock of test/support/mockLlm.ts
 * through the real `openai` SDK adapter, or through the zero-cost in-process provider, with the
 * span of every model call recorded.
 */
import type { ProviderFactory } from '../../server/src/engine/modelResolver';
import { createOpenAIProvider } from '../../server/src/providers/openaiProvider';
import { startMockLlm, type MockLlm, type MockReply, type MockRequestBody } from '../../test/support/mockLlm';
import { agentOf, taskOf, type TeamOptions } from '../../test/support/teams';
import { startHarness, type EngineHarness } from '../../test/support/engineHarness';
import { timed, type CallSpan } from './measure';
import { ScriptedProvider, type ScriptedReply } from '../../test/support/scriptedProvider';

/** Which provider carries the model calls. */
export type Backend = 'HTTP mock' | 'in-process';
/** Both, in the order the figures are printed. */
export const BACKENDS: Backend[] = ['HTTP mock', 'in-process'];

/** What a model answers in the benchmarks, whichever backend carries it. */
export interface Answer {
  text?: string;
  tool?: { name: string; arguments: object }[];
  /** Model latency before the answer, ms. */
  latencyMs?: number;
  /** Answer only once this resolves. */
  held?: Promise<void>;
}

/** Decides an answer from the calling agent, its task and the tool results it has had so far. */
export type Brain = (agent: string, task: string, toolResults: number) => Answer;

/** A benchmark engine. */
export interface BenchEngine {
  harness: EngineHarness;
  /** The span of every model call, in the order they started. */
  spans: CallSpan[];
  /** Model calls that wait on their answer's `held` promise now. */
  waiting(): number;
  close(): Promise<void>;
}

const toolCount = (messages: readonly { role: string }[] = []): number => messages.filter((m) => m.role === 'tool').length;

/** Starts an engine for `team` whose agents answer as `brain` says, over `backend`. */
export async function engineFor(backend: Backend, team: TeamOptions, brain: Brain): Promise<BenchEngine> {
  const spans: CallSpan[] = [];
  let calls = 0;
  let released = 0;
  const hold = async <T>(answer: Answer, reply: T): Promise<T> => {
    calls += 1;
    if (answer.held) await answer.held;
    released += 1;
    return reply;
  };
  let mock: MockLlm | undefined;
  let harness: EngineHarness;
  if (backend === 'HTTP mock') {
    mock = await startMockLlm((request) => {
      const body: MockRequestBody = request.body;
      const answer = brain(agentOf(request), taskOf(request), toolCount(body.messages));
      const reply: MockReply = answer.tool
        ? { toolCalls: answer.tool.map((call, index) => ({ id: `call_${index + 1}`, ...call })) }
        : { content: answer.text ?? 'done' };
      return hold(answer, { ...reply, ...(answer.latencyMs ? { latencyMs: answer.latencyMs } : {}) });
    });
    const providerFactory: ProviderFactory = (resolved, retry) => timed(createOpenAIProvider(resolved, { retry }), spans);
    harness = await startHarness({ team, providerFactory, env: { OPENAI_BASE_URL: mock.baseURL } });
  } else {
    const provider = new ScriptedProvider((call) => {
      const answer = brain(call.agent, call.task, toolCount(call.request.messages));
      const reply: ScriptedReply = answer.tool ? { toolCalls: answer.tool } : { text: answer.text ?? 'done' };
      return hold(answer, { ...reply, ...(answer.latencyMs ? { latencyMs: answer.latencyMs } : {}) });
    });
    harness = await startHarness({ team, provider: timed(provider, spans) });
  }
  return {
    harness,
    spans,
    waiting: () => calls - released,
    close: async () => {
      await harness.dispose();
      await mock?.close();
    },
  };
}
