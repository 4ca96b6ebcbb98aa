import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { type RunEvent } from '../../protocol/run';
import { createRenderer } from '../../server/src/cli/render';
import { ANSWER, delegationScenario, EventScript, LONG_TASK, node, usage } from './cliRenderScenario';

interface Captured {
  stdout: string;
  stderr: string;
}

/** Everything written to a PassThrough so far. */
function drain(stream: PassThrough): string {
  const chunk = stream.read() as Buffer | null;
  return chunk === null ? '' : chunk.toString('utf8');
}

interface PlainFlags {
  verbose?: boolean;
  showThinking?: boolean;
  stream?: boolean;
  color?: boolean;
  answer?: boolean;
}

function renderPlain(events: RunEvent[], flags: PlainFlags = {}): Captured {
  const out = new PassThrough();
  const err = new PassThrough();
  const renderer = createRenderer({
    mode: 'plain',
    out,
    err,
    verbose: flags.verbose ?? false,
    showThinking: flags.showThinking ?? false,
    stream: flags.stream ?? true,
    color: flags.color ?? false,
    ...(flags.answer === undefined ? {} : { answer: flags.answer }),
  });
  // Batches as `run/didChange` delivers them: a few events at a time.
  for (let i = 0; i < events.length; i += 3) renderer.onEvents(events.slice(i, i + 3));
  renderer.finish();
  return { stdout: drain(out), stderr: drain(err) };
}

const lines = (text: string): string[] => text.split('\n').filter((line) => line !== '');

describe('plain renderer', () => {
  it('with answer: false (moco review) prints the steps and the totals, not the answer, streamed or not', () => {
    for (const stream of [true, false]) {
      const { stdout } = renderPlain(delegationScenario(), { stream, answer: false });
      expect(stdout).not.toContain(ANSWER);
      expect(lines(stdout)).toContain('[orchestrator] finished: done · 3,200 tokens · $0.0009 · 12.3 s');
    }
  });

  it('prints one greppable line per start, tool call and finish', () => {
    const { stdout } = renderPlain(delegationScenario());
    const out = lines(stdout);
    expect(out).toContain('[orchestrator] started (openai/gpt-4o-mini)');
    expect(out).toContain('[coder] started (openai/gpt-4o-mini)');
    expect(out).toContain('[tester] started (openai/gpt-4o-mini)');
    expect(out).toContain('[coder] → write_file {"path":"src/add.ts","content":"export const add = (a: number, b: number) => a + b;\\n"}');
    expect(out).toContain('[coder] ✓ write_file: wrote 1 line to src/add.ts (12 ms)');
    expect(out).toContain('[orchestrator] ✓ delegate_to_agent: coder finished (1.2 s)');
    expect(out).toContain('[orchestrator] ✗ delegate_to_agent: tester failed: the provider kept failing (1.5 s)');
    expect(out).toContain('[coder] finished: done · 600 tokens · $0.0003 · 1.2 s');
    expect(out).toContain('[tester] finished: failed · 480 tokens · $0.0002 · 1.5 s');
    expect(out).toContain('[orchestrator] finished: done · 3,200 tokens · $0.0009 · 12.3 s');
  });

  it('cuts long arguments to about 120 characters', () => {
    const { stdout } = renderPlain(delegationScenario());
    const call = lines(stdout).find((line) => line.startsWith('[orchestrator] → delegate_to_agent {"agent_name":"coder"'));
    expect(call).toBeDefined();
    const args = call!.slice('[orchestrator] → delegate_to_agent '.length);
    expect(args.length).toBe(120);
    expect(args.endsWith('…')).toBe(true);
  });

  it('streams the root answer on stdout, ends with the totals, and hides sub-agents and thinking', () => {
    const { stdout } = renderPlain(delegationScenario());
    expect(stdout).toContain('Let me delegate.\n[orchestrator] → delegate_to_agent');
    expect(stdout.split(ANSWER).length - 1).toBe(1);
    expect(stdout).not.toContain('Writing the file');
    expect(stdout).not.toContain('I should split the work');
    expect(lines(stdout).at(-1)).toBe('total: 2,900 tokens in, 300 out · $0.0009 · 12.3 s');
    expect(stdout).not.toContain('\u001b[');
  });

  it('puts retries, limits and errors on stderr, and voids a partial answer', () => {
    const { stdout, stderr } = renderPlain(delegationScenario());
    expect(lines(stderr)).toEqual([
      '[tester] retrying in 2.0 s (attempt 1): HTTP 429 Too Many Requests',
      '[tester] limit (loop): read_file was called 3 times with the same arguments; the call was blocked.',
      '[tester] error: The provider kept failing (HTTP 500). Try again later, or choose another with --provider.',
      '[orchestrator] (retrying in 500 ms, attempt 1: the stream was cut; the partial answer above is void)',
    ]);
    // The cut text stays on its own line; the retried answer starts on a fresh one.
    expect(stdout).toContain(`The coder wr\n${ANSWER}\n`);
    expect(stdout).not.toContain('limit (loop)');
  });

  it('prints the answer once at the end without --stream, and nothing of the void attempt', () => {
    const { stdout, stderr } = renderPlain(delegationScenario(), { stream: false });
    expect(stdout).not.toContain('Let me delegate');
    expect(stdout).not.toContain('The coder wr\n');
    const out = lines(stdout);
    expect(out.slice(-3)).toEqual([
      '[orchestrator] finished: done · 3,200 tokens · $0.0009 · 12.3 s',
      ANSWER,
      'total: 2,900 tokens in, 300 out · $0.0009 · 12.3 s',
    ]);
    expect(stderr).toContain('[orchestrator] retrying in 500 ms (attempt 1): the stream was cut');
    expect(stderr).not.toContain('void');
  });

  it('shows sub-agents text with --verbose and thinking when asked, prefixed per agent', () => {
    const { stdout } = renderPlain(delegationScenario(), { verbose: true, showThinking: true });
    const out = lines(stdout);
    expect(out).toContain('[orchestrator] (thinking) I should split the work.');
    expect(out).toContain('[coder] (thinking) A one-liner will do.');
    expect(out).toContain('[coder] │ Writing the file.');
    expect(out).toContain('[coder] │ The add function is written.');
    expect(out).toContain(`[coder] started (openai/gpt-4o-mini): ${LONG_TASK.slice(0, 119)}…`);
    // Thinking came first, so it is shown first, even though its line had not ended.
    expect(out.indexOf('[coder] (thinking) A one-liner will do.')).toBe(
      out.indexOf('[coder] │ Writing the file.') - 1,
    );
  });

  it('dims thinking when colors are on', () => {
    const { stdout } = renderPlain(delegationScenario(), { showThinking: true, color: true });
    expect(stdout).toContain('\u001b[2m[orchestrator] (thinking) I should split the work.');
  });

  it('tells apart two runs of the same agent and reports approvals', () => {
    const s = new EventScript()
      .add('root', 0, { kind: 'runStarted', node: node({ id: 'root', agent: 'orchestrator' }) })
      .add('c1', 10, { kind: 'runStarted', node: node({ id: 'c1', parentId: 'root', agent: 'coder' }) })
      .add('c2', 20, { kind: 'runStarted', node: node({ id: 'c2', parentId: 'root', agent: 'coder' }) })
      .add('c2', 30, {
        kind: 'approvalRequested',
        approvalId: 'ap1',
        toolCallId: 'call_9',
        name: 'write_file',
        arguments: { path: '../outside.txt' },
        reason: 'the path is outside the working directory',
      })
      .add('c2', 40, { kind: 'approvalResolved', approvalId: 'ap1', decision: 'deny' })
      .add('c1', 50, { kind: 'warning', message: 'model gpt-9 is unknown; assuming a 8,192-token context' })
      .add('c1', 60, { kind: 'statusChanged', status: 'interrupted' });
    const { stdout, stderr } = renderPlain(s.events);
    expect(lines(stdout).slice(0, -1)).toEqual([
      '[orchestrator] started (openai/gpt-4o-mini)',
      '[coder] started (openai/gpt-4o-mini)',
      '[coder#2] started (openai/gpt-4o-mini)',
      '[coder#2] ⏸ write_file needs approval: the path is outside the working directory',
      '[coder#2] approval: denied',
    ]);
    expect(lines(stderr)).toEqual([
      "[coder] warning: model gpt-9 is unknown; assuming a 8,192-token context",
      '[coder] interrupted',
    ]);
  });

  it('ends an unfinished tree with its totals so far when finished early', () => {
    const events = delegationScenario();
    const { stdout } = renderPlain(events.slice(0, events.findIndex((e) => e.kind === 'limit')));
    expect(lines(stdout).at(-1)).toMatch(/^total: 1,900 tokens in, 230 out · \$0\.0007 · /);
  });

  it('reports a failed root on stderr with its message, and its totals last', () => {
    const s = new EventScript()
      .add('root', 0, { kind: 'runStarted', node: node({ id: 'root', agent: 'orchestrator' }) })
      .add('root', 500, { kind: 'usage', usage: usage(10, 0, 0), treeUsage: usage(10, 0, 0) })
      .add('root', 900, {
        kind: 'runFinished',
        status: 'failed',
        error: { code: 1401, message: 'The run used its budget of $0.50. Raise orchestrator.budget.usd in profile.yaml.' },
      });
    const { stdout, stderr } = renderPlain(s.events);
    expect(stderr).toBe('[orchestrator] error: The run used its budget of $0.50. Raise orchestrator.budget.usd in profile.yaml.\n');
    expect(lines(stdout).at(-1)).toBe('total: 10 tokens in, 0 out · $0.0000 · 900 ms');
  });
});

describe('json renderer', () => {
  it('writes exactly one JSON line per event and nothing else', () => {
    const events = delegationScenario();
    const out = new PassThrough();
    const err = new PassThrough();
    const renderer = createRenderer({
      mode: 'json',
      out,
      err,
      verbose: true,
      showThinking: true,
      stream: true,
      color: true,
    });
    renderer.onEvents(events.slice(0, 10));
    renderer.onEvents(events.slice(10));
    renderer.finish();
    const stdout = drain(out);
    expect(stdout.endsWith('\n')).toBe(true);
    const parsed = stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as unknown);
    expect(parsed).toEqual(events);
    expect(drain(err)).toBe('');
  });
});
