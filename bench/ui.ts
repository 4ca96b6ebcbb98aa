/**
 * `npm run bench:ui`: the chat's latencies in a real VS Code (code-server) driven by Chromium, with
 * the mock OpenAI-compatible server as the model.
 *
 * - first token: from the moment the mock has written the first chunk with answer text (its
 *   `onFirstContent` hook, `Date.now()`) to the moment that text is in the Chat webview's DOM (a
 *   MutationObserver in the webview's document, `Date.now()`; same machine, same clock), over
 *   MOCO_BENCH_UI_RUNS runs (default 20), p50 and p95. Side by side, in the same runs, the share
 *   of the server: the same token's arrival in a `run/didChange` notification at a JSON-RPC client
 *   of a second server process (`dist/server.js`) answering the same prompt.
 * - opening a session of about 500 messages: from picking it in `MOCO: Open Session…` to its
 *   last message in the webview's DOM, over 5 opens, timed from the Enter that picks it.
 *
 * Environment: MOCO_BENCH_UI_RUNS, MOCO_E2E_CODE_SERVER (which code-server; default the newest).
 */
import type { Frame } from 'playwright-core';
import { openBrowser, type Browser } from '../test/e2e/support/browser';
import { launchCodeServer, type CodeServer } from '../test/e2e/support/codeServer';
import { screenshot } from '../test/e2e/support/failure';
import { ChatPage } from '../test/e2e/support/mocoViews';
import { extensionId, fixtureWorkspace, releasesUnderTest, vsixPath } from '../test/e2e/support/paths';
import { Workbench } from '../test/e2e/support/workbench';
import { RunDidChangeNotification } from '../protocol/run';
import { startMockLlm, type MockLlm, type MockReply } from '../test/support/mockLlm';
import { makeWorkspace, mockEnv, startEngineServer } from '../test/support/rpcHarness';
import { taskOf } from '../test/support/teams';
import { median, percentile, printTable } from './support/measure';

const RUNS = Number(process.env.MOCO_BENCH_UI_RUNS ?? 20);
/** Sends of the long session: each adds the user message, an assistant turn with 8 tool calls, their 8 results and the answer. */
const LONG_SESSION_SENDS = 46;
const OPENS = 5;

/** When the mock sent each marker's first token, by marker. */
const sentAt = new Map<string, number>();

/** The answer to a task: `first N` answers with marker `tokN`; `long N` calls 8 tools then answers. */
function reply(task: string, turn: number): MockReply {
  const first = /first (\d+)/.exec(task);
  if (first) {
    const marker = `tok${first[1]}x`;
    return { content: `${marker} and the rest of the answer.`, contentChunks: 4, onFirstContent: (ms) => sentAt.set(marker, ms) };
  }
  const long = /long (\d+)/.exec(task);
  if (long && turn === 0) {
    return { toolCalls: Array.from({ length: 8 }, (_, i) => ({ name: 'todowrite', arguments: { todos: [{ id: `${long[1]}-${i}`, content: `step ${i}`, status: 'pending' }] } })) };
  }
  return { content: `done ${long?.[1] ?? ''}: the steps are planned.` };
}

/** The webview's inner document (two iframes down), found by its message input. */
async function chatFrame(workbench: Workbench): Promise<Frame> {
  for (let attempt = 0; attempt < 100; attempt++) {
    for (const frame of workbench.page.frames()) {
      const found = await frame.evaluate<boolean>(`document.querySelector('[aria-label="Message MOCO"]') !== null`).catch(() => false);
      if (found) return frame;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('The Chat webview did not show its message input.');
}

/**
 * Starts watching the webview for `text`; `window.__mocoSeen` resolves with `Date.now()` when it
 * shows. A string, not a function: tsx would add helpers the page does not have.
 */
async function watchFor(frame: Frame, text: string): Promise<void> {
  await frame.evaluate(`(() => {
    const wanted = ${JSON.stringify(text)};
    window.__mocoLoaded = undefined;
    window.addEventListener('message', (event) => {
      if (event.data && event.data.type === 'session/didLoad' && event.data.session) window.__mocoLoaded ??= performance.timeOrigin + event.timeStamp; // when the message was queued
    });
    window.__mocoSeen = new Promise((resolve) => {
      const check = () => {
        if (!document.body.textContent.includes(wanted)) return false;
        resolve(Date.now());
        return true;
      };
      if (check()) return;
      const observer = new MutationObserver(() => { if (check()) observer.disconnect(); });
      observer.observe(document.body, { subtree: true, childList: true, characterData: true });
    });
  })()`);
}

async function seenAt(frame: Frame): Promise<number> {
  return frame.evaluate<number>('window.__mocoSeen');
}

/** The server's share: first token → `run/didChange` at a JSON-RPC client, over real IPC. */
async function serverShare(mock: MockLlm, runs: number): Promise<number[]> {
  const workspace = await makeWorkspace();
  const client = await startEngineServer(workspace, mockEnv(mock, workspace));
  const arrivedAt = new Map<string, number>();
  // One handler per method: this one replaces the harness's, so it keeps the harness's list too.
  client.connection.onNotification(RunDidChangeNotification, ({ sessionId, events }) => {
    const now = Date.now();
    for (const event of events) {
      client.received.push({ sessionId, event });
      const marker = event.kind === 'textDelta' ? /tok\d+x/.exec(event.text)?.[0] : undefined;
      if (marker && !arrivedAt.has(marker)) arrivedAt.set(marker, now);
    }
  });
  const times: number[] = [];
  try {
    let sessionId: string | undefined;
    for (let i = 0; i < runs; i++) {
      const marker = `tok${1000 + i}x`;
      const started = await client.send({ text: `first ${1000 + i}`, ...(sessionId ? { sessionId } : {}) });
      sessionId = started.sessionId;
      await client.finished(started.sessionId, started.runId);
      times.push(arrivedAt.get(marker)! - sentAt.get(marker)!);
    }
  } finally {
    await client.kill();
  }
  return times;
}

async function main(): Promise<void> {
  const mock = await startMockLlm((request) => reply(taskOf(request), (request.body.messages ?? []).filter((m) => m.role === 'assistant').length));
  const release = releasesUnderTest()[0]!;
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  try {
    console.log(`MOCO UI benchmark: VS Code ${release.vscode} (code-server ${release.codeServer}), ${RUNS} runs.\n`);
    server = await launchCodeServer({
      release,
      vsix: vsixPath(),
      workspace: fixtureWorkspace,
      label: 'bench-ui',
      settings: { 'moco.provider.id': 'custom', 'moco.provider.baseUrl': mock.baseURL, 'moco.provider.model': 'mock-model' },
    });
    browser = await openBrowser(server.url);
    const workbench = new Workbench(browser.page, extensionId());
    await workbench.ready();
    await workbench.openMoco();
    await workbench.connectedServerPid();
    const chat = new ChatPage(workbench);
    const frame = await chatFrame(workbench);

    // First token → visible in the webview.
    const uiMs: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const marker = `tok${i}x`;
      await watchFor(frame, marker);
      await chat.send(`first ${i}`);
      const visible = await seenAt(frame);
      uiMs.push(visible - sentAt.get(marker)!);
      await chat.waitForRootStatus(`first ${i}`, 'done');
    }
    const serverMs = await serverShare(mock, RUNS);

    // A session of ~500 messages, then opened from Open Session… while another is shown.
    // The Chat view's title buttons, as a user clicks them.
    const titleButton = (name: string) => workbench.viewPane('Chat').getByRole('button', { name, exact: true });
    await titleButton('New Chat').click();
    for (let i = 0; i < LONG_SESSION_SENDS; i++) {
      await chat.send(`long ${i}`);
      await chat.waitForRootStatus(`long ${i}`, 'done');
    }
    const last = `done ${LONG_SESSION_SENDS - 1}: the steps are planned.`;
    const openMs: number[] = [];
    /** From the `session/didLoad` message's arrival in the webview to the last message shown. */
    const renderMs: number[] = [];
    for (let i = 0; i < OPENS; i++) {
      await titleButton('New Chat').click();
      await chat.input().waitFor();
      await watchFor(frame, last);
      await titleButton('Open Session…').click();
      // Filter the list down to the long session, then press Enter: the time starts at the key
      // press (a mouse click through Playwright adds its own actionability waits).
      const widget = workbench.page.locator('.quick-input-widget');
      await widget.locator('input').first().fill('long 0');
      await widget.locator('.monaco-list-row.focused').filter({ hasText: 'long 0' }).waitFor({ timeout: 15_000 });
      const clicked = Date.now();
      await workbench.page.keyboard.press('Enter');
      const seen = await seenAt(frame);
      openMs.push(seen - clicked);
      renderMs.push(seen - (await frame.evaluate<number>('window.__mocoLoaded')));
    }
    await screenshot(workbench.page, 'bench-ui-long-session');
    printTable([
      { name: 'first token → visible in the chat, p50', value: median(uiMs), unit: 'ms', target: 50, detail: `${RUNS} runs` },
      { name: 'first token → visible in the chat, p95', value: percentile(uiMs, 95), unit: 'ms' },
      { name: '  of which the server (→ run/didChange), p50', value: median(serverMs), unit: 'ms', detail: `same prompts, JSON-RPC client` },
      { name: '  of which the server, p95', value: percentile(serverMs, 95), unit: 'ms' },
      { name: '  client + webview share, p50', value: median(uiMs) - median(serverMs), unit: 'ms' },
      { name: `open a ${LONG_SESSION_SENDS * 11}-message session, median`, value: median(openMs), unit: 'ms', target: 300, detail: openMs.map((v) => v.toFixed(0)).join(' ') },
      { name: '  of which rendering in the webview, median', value: median(renderMs), unit: 'ms', detail: renderMs.map((v) => v.toFixed(0)).join(' ') },
    ]);
  } catch (error) {
    if (browser) console.error(`Screenshot: ${await screenshot(browser.page, 'bench-ui-failure')}`);
    throw error;
  } finally {
    await browser?.close();
    await server?.stop();
    await mock.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : String(error));
  process.exit(1);
});
