// Markdown from a model is hostile input: what reaches the Chat view's document after marked and
// DOMPurify, checked in real Chromium (see webviewBrowser.ts for why not happy-dom).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWebviewPage, type WebviewPage } from './webviewBrowser';

interface Rendered {
  html: string;
  text: string;
  tags: string[];
  /** `tag name=value` of every attribute. */
  attributes: string[];
  hrefs: (string | null)[];
  /** Whether any payload ran (they all set `window.pwned`). */
  pwned: boolean;
}

let browser: WebviewPage;

beforeAll(async () => {
  browser = await openWebviewPage();
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

/** Renders in the page, attached to the document so that handlers and loads would fire. */
async function render(markdown: string): Promise<Rendered> {
  return browser.page.evaluate(async (source) => {
    const w = window as unknown as { moco: { renderMarkdown(md: string): DocumentFragment }; pwned?: boolean };
    const host = document.createElement('div');
    host.append(w.moco.renderMarkdown(source));
    document.body.append(host);
    // Let error/load handlers of anything that slipped through run.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const all = Array.from(host.querySelectorAll('*'));
    const result = {
      html: host.innerHTML,
      text: host.textContent ?? '',
      tags: all.map((n) => n.nodeName.toLowerCase()),
      attributes: all.flatMap((n) => Array.from(n.attributes).map((a) => `${n.nodeName.toLowerCase()} ${a.name}=${a.value}`)),
      hrefs: Array.from(host.querySelectorAll('a')).map((a) => a.getAttribute('href')),
      pwned: w.pwned === true,
    };
    host.remove();
    return result;
  }, markdown);
}

describe('renderMarkdown in Chromium', () => {
  it('renders ordinary Markdown: emphasis, lists, links, tables', async () => {
    const r = await render('**bold** and `code`\n\n- one\n- two\n\n[docs](https://example.com/a)\n\n| a | b |\n|---|---|\n| 1 | 2 |');
    expect(r.tags).toEqual(expect.arrayContaining(['p', 'strong', 'code', 'ul', 'li', 'a', 'table', 'td']));
    expect(r.hrefs).toEqual(['https://example.com/a']);
    expect(r.attributes).toContain('a rel=noopener noreferrer');
  });

  it('removes scripts, event handlers, frames, forms, styles and SVG, and nothing runs', async () => {
    const r = await render(
      [
        'Hello <script>window.pwned = true</script>',
        '<img src="x" onerror="window.pwned = true">',
        '<iframe srcdoc="<script>parent.pwned = true</script>"></iframe>',
        '<form action="https://evil.example"><input name="q" autofocus onfocus="window.pwned = true"><button>Go</button></form>',
        '<style>body { display: none }</style>',
        '<p style="position:fixed" onclick="window.pwned = true" onmouseover="window.pwned = true">styled</p>',
        '<svg><script>window.pwned = true</script><image href="x" onerror="window.pwned = true"/></svg>',
        '<math><mtext><table><mglyph><style><img src=x onerror="window.pwned = true"></style></mglyph></table></mtext></math>',
        '<object data="x.swf"></object><embed src="x.swf">',
        '<details open ontoggle="window.pwned = true"><summary>s</summary></details>',
        '<a href="#" data-action="approval" data-approval-id="a1" class="text-button primary" id="app">fake approve</a>',
      ].join('\n\n'),
    );
    expect(r.pwned).toBe(false);
    for (const tag of ['script', 'img', 'iframe', 'form', 'input', 'button', 'style', 'svg', 'math', 'object', 'embed', 'image']) {
      expect(r.tags, tag).not.toContain(tag);
    }
    for (const attribute of r.attributes) expect(attribute).not.toMatch(/ (on\w+|style|data-[\w-]+|class|id)=/);
    expect(r.text).toContain('styled');
    expect(r.text).toContain('fake approve');
  });

  it('keeps only http, https and mailto links: no javascript:, data:, vbscript:, command:, file or relative URLs', async () => {
    const r = await render(
      [
        '[a](javascript:window.pwned=true)',
        '[b](JaVaScRiPt:window.pwned=true)',
        '<a href="javascript&colon;window.pwned=true">c</a>',
        '<a href=" &#14; javascript:window.pwned=true">c2</a>',
        '[d](data:text/html;base64,PHNjcmlwdD5hbGVydCg0KTwvc2NyaXB0Pg==)',
        '<a href="vbscript:msgbox(5)">e</a>',
        '<a href="command:workbench.action.terminal.new">f</a>',
        '[ftp](ftp://example.com/x) [tel](tel:+123) [relative](./src/a.ts) [anchor](#top)',
        '![pixel](data:image/png;base64,iVBORw0KGgo=) ![remote](https://tracker.example/p.gif)',
        '[g](mailto:dev@example.com) [h](http://example.com)',
      ].join('\n\n'),
    );
    expect(r.hrefs.filter((h) => h !== null)).toEqual(['https://tracker.example/p.gif', 'mailto:dev@example.com', 'http://example.com']);
    expect(r.tags).not.toContain('img');
    expect(r.text).toContain('pixel');
  });

  it('keeps HTML inside code blocks and code spans as text, and gives each block Copy and Insert at Cursor', async () => {
    const r = await render('Use `<b>x</b>`:\n\n```html\n<script>window.pwned = true</script>\n<img src=x onerror="window.pwned = true">\n```');
    expect(r.pwned).toBe(false);
    expect(r.tags).not.toContain('script');
    expect(r.tags).not.toContain('b');
    expect(r.text).toContain('<b>x</b>');
    expect(r.text).toContain('<script>window.pwned = true</script>');
    expect(r.attributes).toEqual(expect.arrayContaining(['button aria-label=Copy', 'button aria-label=Insert at Cursor', 'code class=language-html']));
  });
});

describe('ChatApp in Chromium', () => {
  it('posts the code of a block when its Copy or Insert at Cursor button is clicked', async () => {
    const posted = await browser.page.evaluate(() => {
      type App = { handle(message: unknown): void };
      const w = window as unknown as { moco: { ChatApp: new (root: HTMLElement, post: (m: unknown) => void) => App } };
      const root = document.getElementById('app') as HTMLElement;
      const messages: unknown[] = [];
      const app = new w.moco.ChatApp(root, (m) => messages.push(m));
      const time = '2026-11-21T10:00:00.000Z';
      const node = { id: 'r1', rootId: 'r1', sessionId: 's1', agent: 'orchestrator', task: 'Show me', provider: 'openai', model: 'm', status: 'running', usage: { inputTokens: 0, outputTokens: 0, costUsd: 0 }, startedAt: time };
      app.handle({
        type: 'session/didLoad',
        runs: [{ ...node, status: 'done' }],
        events: [
          { runId: 'r1', seq: 1, time, kind: 'runStarted', node },
          { runId: 'r1', seq: 2, time, kind: 'textDelta', text: 'Here:\n\n```ts\nconst a = "<b>";\n```\n' },
          { runId: 'r1', seq: 3, time, kind: 'runFinished', status: 'done' },
        ],
      });
      (root.querySelector('button[aria-label="Copy"]') as HTMLButtonElement).click();
      (root.querySelector('button[aria-label="Insert at Cursor"]') as HTMLButtonElement).click();
      return messages;
    });
    expect(posted).toEqual([
      { type: 'code/copy', code: 'const a = "<b>";\n' },
      { type: 'code/insert', code: 'const a = "<b>";\n' },
    ]);
  });
});
