import { PassThrough } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createRenderer } from '../../server/src/cli/render';
import { type RunEvent } from '../../protocol/run';
import { ANSWER, delegationScenario } from './cliRenderScenario';

function drain(stream: NodeJS.ReadableStream): string {
  const chunk = stream.read() as Buffer | string | null;
  return chunk === null ? '' : stripVTControlCharacters(chunk.toString());
}

function treeRenderer(options: { verbose?: boolean; answer?: boolean } = {}) {
  // A terminal of 200 columns, so that no line wraps.
  const out = Object.assign(new PassThrough(), { columns: 200 });
  const err = new PassThrough();
  const renderer = createRenderer({
    mode: 'tree',
    out,
    err,
    verbose: options.verbose ?? false,
    showThinking: false,
    stream: true,
    color: true,
    ...(options.answer === undefined ? {} : { answer: options.answer }),
  });
  return { out, err, renderer };
}

const at = (events: RunEvent[], kind: RunEvent['kind'], runId: string): number =>
  events.findIndex((event) => event.kind === kind && event.runId === runId);

describe('tree renderer', () => {
  it('with answer: false (moco review) leaves the tree and the totals, not the answer', () => {
    const { out, renderer } = treeRenderer({ answer: false });
    renderer.onEvents(delegationScenario());
    const stdout = drain(out);
    expect(stdout).not.toContain(ANSWER);
    expect(stdout).toContain('total: 2,900 tokens in, 300 out · $0.0009 · 12.3 s');
  });

  it('leaves the finished tree on screen, then the answer, the errors and the totals', () => {
    const { out, err, renderer } = treeRenderer();
    renderer.onEvents(delegationScenario());
    const stdout = drain(out);
    const finalTree = [
      '✓ orchestrator  openai/gpt-4o-mini  3,200 tok  $0.0009  12.3 s',
      '  ✓ coder  openai/gpt-4o-mini  600 tok  $0.0003  1.2 s',
      '  ✗ tester  openai/gpt-4o-mini  480 tok  $0.0002  1.5 s',
    ];
    const lastTree = stdout.lastIndexOf(finalTree[0]!);
    expect(lastTree).toBeGreaterThanOrEqual(0);
    const tail = stdout.slice(lastTree).split('\n');
    expect(tail[1]).toBe(finalTree[1]);
    expect(tail[2]?.startsWith(finalTree[2]!)).toBe(true);
    expect(tail.slice(3)).toEqual(['', ANSWER, 'total: 2,900 tokens in, 300 out · $0.0009 · 12.3 s', '']);
    expect(drain(err)).toBe(
      '[tester] error: The provider kept failing (HTTP 500). Try again later, or choose another with --provider.\n',
    );
    renderer.finish();
    expect(drain(out)).toBe('');
  });

  it('keeps retries and limits above the live tree', () => {
    const { out, renderer } = treeRenderer();
    const events = delegationScenario();
    renderer.onEvents(events.slice(0, at(events, 'runFinished', 'root')));
    const stdout = drain(out);
    expect(stdout).toContain('[tester] retrying in 2.0 s (attempt 1): HTTP 429 Too Many Requests\n');
    expect(stdout).toContain('[tester] limit (loop): read_file was called 3 times with the same arguments; the call was blocked.\n');
    renderer.finish();
    // An unfinished root is closed by finish(): its last frame and its totals stay.
    const end = drain(out);
    expect(end).toContain('orchestrator');
    expect(end).toContain('total: 2,900 tokens in, 300 out · $0.0009');
  });

  it('cuts what a node is doing to the width of the terminal', () => {
    const { out, renderer } = treeRenderer();
    out.columns = 60;
    renderer.onEvents(delegationScenario());
    const lines = drain(out).split('\n');
    expect(lines.filter((line) => [...line].length > 60)).toEqual([]);
    expect(lines).toContain('  ✗ tester  openai/gpt-4o-mini  480 tok  $0.0002  1.5 s');
    renderer.finish();
  });

  it('lists finished tool calls above the tree with --verbose', () => {
    const { out, renderer } = treeRenderer({ verbose: true });
    renderer.onEvents(delegationScenario());
    renderer.finish();
    expect(drain(out)).toContain('[coder] ✓ write_file: wrote 1 line to src/add.ts (12 ms)\n');
  });

  it('takes the tree off the screen while suspended, and holds side lines until resumed', () => {
    const { out, renderer } = treeRenderer();
    const events = delegationScenario();
    const firstRetry = at(events, 'retry', 'tester');
    renderer.onEvents(events.slice(0, firstRetry));
    drain(out);
    const resume = renderer.suspend();
    renderer.onEvents([events[firstRetry]!]);
    // While suspended only the erasing of the tree reached the screen, no new frame or line.
    expect(drain(out)).toBe('');
    resume();
    const after = drain(out);
    expect(after).toContain('[tester] retrying in 2.0 s');
    expect(after).toContain('orchestrator');
    renderer.finish();
  });
});
