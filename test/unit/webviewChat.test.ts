// @vitest-environment happy-dom
// The Chat view as a user meets it: the transcript it shows for run events, and what its buttons
// and keys send to the client. (Sanitising is tested in Chromium: webviewMarkdown.test.ts.)
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { RunEvent } from '../../protocol/run';
import { parseWebviewMessage, type ClientToWebviewMessage, type WebviewToClientMessage } from '../../protocol/webview';
import { ChatApp } from '../../webview/src/app';
import { EventScript, node, usage } from './cliRenderScenario';

let root: HTMLElement;
let posted: WebviewToClientMessage[];
let app: ChatApp;

function send(...messages: ClientToWebviewMessage[]): void {
  for (const message of messages) app.handle(message);
}

const ready: ClientToWebviewMessage = { type: 'connection/didChange', state: 'ready', server: { version: '0.1.0', pid: 42, nodeVersion: 'v24.21.0' } };

function settings(showThinking: boolean): ClientToWebviewMessage {
  return { type: 'settings/didChange', showThinking, profile: 'development', model: 'openai/gpt-4o-mini', workingDir: '/ws' };
}

function live(events: RunEvent[]): ClientToWebviewMessage {
  return { type: 'run/didChange', sessionId: 's1', events };
}

function byLabel(label: string): HTMLButtonElement {
  const found = root.querySelector<HTMLButtonElement>(`button[aria-label="${label}"]`);
  if (!found) throw new Error(`no button ${label}`);
  return found;
}

function buttonByText(text: string, scope: ParentNode = root): HTMLButtonElement {
  const found = Array.from(scope.querySelectorAll('button')).find((b) => b.textContent?.trim() === text);
  if (!found) throw new Error(`no button with text ${text}`);
  return found;
}

beforeEach(() => {
  document.body.innerHTML = '<main id="app"></main>';
  root = document.getElementById('app') as HTMLElement;
  posted = [];
  app = new ChatApp(root, (message) => {
    // What the view sends passes the client's check unchanged.
    expect(parseWebviewMessage(message)).toEqual(message);
    posted.push(message);
  });
});

describe('Chat view transcript', () => {
  it('streams a root: the user message, text segments, a tool card from running to done, and the footer', () => {
    send(ready, settings(true));
    const s = new EventScript()
      .add('r1', 0, { kind: 'runStarted', node: node({ id: 'r1', rootId: 'r1', agent: 'orchestrator', task: 'List the files' }) })
      .add('r1', 1, { kind: 'textDelta', text: 'Looking' });
    send(live(s.events));
    const section = root.querySelector('article[data-root-id="r1"]') as HTMLElement;
    expect(section.dataset.status).toBe('running');
    expect(section.querySelector('.user-bubble')?.textContent).toBe('List the files');
    const segment = section.querySelector('[data-run-id="r1"].markdown') as HTMLElement;
    expect(segment.textContent).toContain('Looking');
    expect(byLabel('Stop').hidden).toBe(false);
    expect(byLabel('Send').hidden).toBe(true);

    const more = new EventScript();
    more.add('r1', 2, { kind: 'textDelta', text: ' at the folder.' });
    more.add('r1', 3, { kind: 'toolStarted', toolCallId: 'c1', name: 'list_dir', arguments: { path: 'src' } });
    send(live(more.events.map((e, i) => ({ ...e, seq: 3 + i }))));
    // The same segment element, updated in place.
    expect(section.querySelector('[data-run-id="r1"].markdown')).toBe(segment);
    expect(segment.textContent).toContain('Looking at the folder.');
    const card = section.querySelector('[data-tool-call-id="c1"]') as HTMLElement;
    expect(card.dataset.status).toBe('running');
    expect(card.textContent).toContain('list_dir');
    expect(card.querySelector('.tool-preview')?.textContent).toBe('src');

    const end = new EventScript();
    end.add('r1', 4, { kind: 'toolFinished', toolCallId: 'c1', name: 'list_dir', ok: true, summary: '3 entries', durationMs: 1234 });
    end.add('r1', 5, { kind: 'usage', usage: usage(12_345, 1_234, 0.0123), treeUsage: usage(12_345, 1_234, 0.0123) });
    end.add('r1', 6, { kind: 'runFinished', status: 'done', result: 'Three files.' });
    send(live(end.events.map((e, i) => ({ ...e, seq: 5 + i }))));
    expect(card.dataset.status).toBe('done');
    expect(card.querySelector('.tool-summary')?.textContent).toBe('3 entries');
    expect(card.querySelector('.tool-duration')?.textContent).toBe('1.2 s');
    expect(card.querySelector('.tool-args pre')?.textContent).toBe('{\n  "path": "src"\n}');
    expect(section.dataset.status).toBe('done');
    expect(section.querySelector('.turn-footer')?.textContent).toBe('12.3k in · 1.2k out · $0.0123');
    expect(byLabel('Send').hidden).toBe(false);
    expect(byLabel('Stop').hidden).toBe(true);
  });

  it('nests delegations with their agent, status and tokens, and "Show in Agents view" reveals the node', () => {
    send(ready);
    const s = new EventScript()
      .add('r1', 0, { kind: 'runStarted', node: node({ id: 'r1', rootId: 'r1', agent: 'orchestrator', task: 'Build' }) })
      .add('r1', 1, { kind: 'toolStarted', toolCallId: 'd1', name: 'delegate_to_agent', arguments: { agent_name: 'coder', task: 'Write a.ts' } })
      .add('c1', 2, { kind: 'runStarted', node: node({ id: 'c1', parentId: 'r1', rootId: 'r1', agent: 'coder', task: 'Write a.ts', toolCallId: 'd1' }) })
      .add('c1', 3, { kind: 'toolStarted', toolCallId: 'd2', name: 'delegate_to_agent', arguments: { agent_name: 'tester' } })
      .add('t1', 4, { kind: 'runStarted', node: node({ id: 't1', parentId: 'c1', rootId: 'r1', agent: 'tester', task: 'Test a.ts', toolCallId: 'd2' }) })
      .add('t1', 5, { kind: 'textDelta', text: 'All green.' })
      .add('t1', 6, { kind: 'usage', usage: usage(2000, 100, 0), treeUsage: usage(2000, 100, 0) })
      .add('t1', 7, { kind: 'runFinished', status: 'done' });
    send(live(s.events));
    const coder = root.querySelector('[data-tool-call-id="d1"] details.delegation[data-run-id="c1"]') as HTMLDetailsElement;
    expect(coder.open).toBe(true);
    expect(coder.querySelector('.delegation-agent')?.textContent).toBe('coder');
    const tester = coder.querySelector('[data-tool-call-id="d2"] details.delegation[data-run-id="t1"]') as HTMLElement;
    expect(tester.dataset.status).toBe('done');
    expect(tester.querySelector('.delegation-usage')?.textContent).toBe('2k in · 100 out');
    expect(coder.querySelector('.delegation-usage')?.textContent).toBe('2k in · 100 out');
    expect(tester.querySelector('.markdown[data-run-id="t1"]')?.textContent).toContain('All green.');
    buttonByText('Show in Agents view', tester).click();
    expect(posted).toContainEqual({ type: 'run/reveal', runId: 't1' });
  });

  it('shows Approve, Deny and "Always allow in this session" on a card that waits, and posts the answer', () => {
    send(ready);
    const s = new EventScript()
      .add('r1', 0, { kind: 'runStarted', node: node({ id: 'r1', rootId: 'r1', agent: 'coder' }) })
      .add('r1', 1, { kind: 'toolStarted', toolCallId: 'c1', name: 'run_command', arguments: { command: 'rm -rf build' } })
      .add('r1', 2, { kind: 'approvalRequested', approvalId: 'a1', toolCallId: 'c1', name: 'run_command', arguments: { command: 'rm -rf build' }, reason: 'Deleting files needs your approval.' });
    send(live(s.events));
    const card = root.querySelector('[data-tool-call-id="c1"]') as HTMLElement;
    expect(card.dataset.status).toBe('waiting-for-approval');
    expect(card.textContent).toContain('Deleting files needs your approval.');
    expect(['Approve', 'Deny', 'Always allow in this session'].map((t) => buttonByText(t, card).textContent)).toHaveLength(3);
    buttonByText('Always allow in this session', card).click();
    expect(posted).toContainEqual({ type: 'approval/respond', approvalId: 'a1', decision: 'always' });

    send(live([{ runId: 'r1', seq: 4, time: '2026-11-21T10:00:01.000Z', kind: 'approvalResolved', approvalId: 'a1', decision: 'always' }]));
    expect(card.dataset.status).toBe('running');
    expect(card.querySelector('button')).toBeNull();
    expect(card.textContent).toContain('Always allowed in this session');
  });

  it('shows the thinking collapsed, and none at all when showThinking is off', () => {
    const s = new EventScript()
      .add('r1', 0, { kind: 'runStarted', node: node({ id: 'r1', rootId: 'r1', agent: 'o' }) })
      .add('r1', 1, { kind: 'thinkingDelta', text: 'secret plan' })
      .add('r1', 2, { kind: 'textDelta', text: 'Answer.' });
    send(ready, settings(true), { type: 'session/didLoad', runs: [], events: s.events });
    const thinking = root.querySelector('details.thinking') as HTMLDetailsElement;
    expect(thinking.open).toBe(false);
    expect(thinking.textContent).toContain('secret plan');

    send(settings(false));
    expect(root.querySelector('details.thinking')).toBeNull();
    expect(root.textContent).not.toContain('secret plan');
    expect(root.textContent).toContain('Answer.');
    send(live([{ runId: 'r1', seq: 4, time: '2026-11-21T10:00:01.000Z', kind: 'thinkingDelta', text: 'more secrets' }]));
    expect(root.textContent).not.toContain('more secrets');
  });

  it('offers Resume on an interrupted root and shows a failed run its error', () => {
    const s = new EventScript()
      .add('r1', 0, { kind: 'runStarted', node: node({ id: 'r1', rootId: 'r1', agent: 'o', task: 'first' }) })
      .add('r2', 1, { kind: 'runStarted', node: node({ id: 'r2', rootId: 'r2', agent: 'o', task: 'second' }) })
      .add('r2', 2, { kind: 'runFinished', status: 'failed', error: { code: -32010, message: 'The provider refused the key.' } });
    send(ready, {
      type: 'session/didLoad',
      runs: [node({ id: 'r1', rootId: 'r1', agent: 'o', status: 'interrupted' }), node({ id: 'r2', rootId: 'r2', agent: 'o', status: 'failed' })],
      events: s.events,
    });
    const first = root.querySelector('article[data-root-id="r1"]') as HTMLElement;
    expect(first.dataset.status).toBe('interrupted');
    buttonByText('Resume', first).click();
    expect(posted).toContainEqual({ type: 'run/resume', runId: 'r1' });
    const second = root.querySelector('article[data-root-id="r2"]') as HTMLElement;
    expect(second.dataset.status).toBe('failed');
    expect(second.querySelector('.run-status')?.textContent).toContain('The provider refused the key.');
  });

  it('removes the partial text of a step that a retry discards', () => {
    send(ready);
    const s = new EventScript()
      .add('r1', 0, { kind: 'runStarted', node: node({ id: 'r1', rootId: 'r1', agent: 'o' }) })
      .add('r1', 1, { kind: 'textDelta', text: 'Half an ans' });
    send(live(s.events));
    expect(root.querySelector('.markdown[data-run-id="r1"]')?.textContent).toContain('Half an ans');
    send(live([{ runId: 'r1', seq: 3, time: '2026-11-21T10:00:01.000Z', kind: 'retry', attempt: 1, delayMs: 500, reason: 'HTTP 429', discardsPartialOutput: true }]));
    expect(root.querySelector('.markdown[data-run-id="r1"]')).toBeNull();
    expect(root.querySelector('.notice')?.textContent).toBe('Retrying (attempt 1) in 500 ms: HTTP 429');
    send(live([{ runId: 'r1', seq: 4, time: '2026-11-21T10:00:02.000Z', kind: 'textDelta', text: 'Whole answer.' }]));
    expect(Array.from(root.querySelectorAll('.markdown[data-run-id="r1"]')).map((n) => n.textContent?.trim())).toEqual(['Whole answer.']);
  });

  it('opens a 500-message session in one pass: one section, segment and tool card per message', async () => {
    const s = new EventScript();
    for (let i = 0; i < 500; i++) {
      const id = `r${i}`;
      s.add(id, i, { kind: 'runStarted', node: node({ id, rootId: id, agent: 'orchestrator', task: `Message ${i}` }) })
        .add(id, i, { kind: 'textDelta', text: `Answer **${i}** with \`code\`\n\n- a\n- b\n` })
        .add(id, i, { kind: 'toolStarted', toolCallId: `c${i}`, name: 'read_file', arguments: { path: `src/${i}.ts` } })
        .add(id, i, { kind: 'toolFinished', toolCallId: `c${i}`, name: 'read_file', ok: true, summary: 'read 10 lines', durationMs: 3 })
        .add(id, i, { kind: 'runFinished', status: 'done' });
    }
    send(ready, { type: 'session/didLoad', session: undefined, runs: [], events: s.events });
    expect(root.querySelectorAll('article[data-root-id]')).toHaveLength(500);
    expect(root.querySelectorAll('article[data-status="done"]')).toHaveLength(500);
    expect(root.querySelectorAll('.markdown[data-run-id]')).toHaveLength(500);
    expect(root.querySelectorAll('[data-tool-call-id][data-status="done"]')).toHaveLength(500);
    expect(root.querySelector('article[data-root-id="r499"] .user-bubble')?.textContent).toBe('Message 499');

    // A new message afterwards adds one section and leaves the others as they are.
    const first = root.querySelector('article[data-root-id="r0"]');
    send(live([{ runId: 'r500', seq: 9999, time: '2026-11-21T11:00:00.000Z', kind: 'runStarted', node: node({ id: 'r500', rootId: 'r500', agent: 'o', task: 'One more' }) }]));
    expect(root.querySelectorAll('article[data-root-id]')).toHaveLength(501);
    expect(root.querySelector('article[data-root-id="r0"]')).toBe(first);

    // The older messages' Markdown follows in the background: no segment keeps its raw `**`.
    const raw = (): number => Array.from(root.querySelectorAll('.markdown[data-run-id]')).filter((n) => n.textContent?.includes('**')).length;
    expect(raw()).toBeGreaterThan(0);
    await vi.waitFor(() => expect(raw()).toBe(0), { timeout: 20_000, interval: 50 });
  }, 30_000);
});
