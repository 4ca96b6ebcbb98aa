// @vitest-environment happy-dom
// The Chat view's input box, banners and empty state: keys, completion and what they send.
import { beforeEach, describe, expect, it } from 'vitest';
import { parseWebviewMessage, type ClientToWebviewMessage, type WebviewToClientMessage } from '../../protocol/webview';
import { ChatApp } from '../../webview/src/app';
import { node } from './cliRenderScenario';

let root: HTMLElement;
let posted: WebviewToClientMessage[];
let app: ChatApp;

const ready: ClientToWebviewMessage = { type: 'connection/didChange', state: 'ready', server: { version: '0.1.0', pid: 42, nodeVersion: 'v24.21.0' } };

function textarea(): HTMLTextAreaElement {
  return root.querySelector('textarea[aria-label="Message MOCO"]') as HTMLTextAreaElement;
}

function key(name: string, init: KeyboardEventInit = {}): KeyboardEvent {
  const event = new KeyboardEvent('keydown', { key: name, bubbles: true, cancelable: true, ...init });
  textarea().dispatchEvent(event);
  return event;
}

function type(text: string): void {
  textarea().value = text;
  textarea().dispatchEvent(new Event('input', { bubbles: true }));
}

function listbox(): HTMLElement {
  return root.querySelector('[role="listbox"]') as HTMLElement;
}

function options(): string[] {
  return Array.from(listbox().querySelectorAll('[role="option"] .completion-label')).map((o) => o.textContent ?? '');
}

function activeOption(): string | undefined {
  const id = textarea().getAttribute('aria-activedescendant');
  return id ? (document.getElementById(id)?.querySelector('.completion-label')?.textContent ?? undefined) : undefined;
}

function button(name: string): HTMLButtonElement {
  const found = Array.from(root.querySelectorAll('button')).find((b) => b.getAttribute('aria-label') === name || b.textContent?.trim() === name);
  if (!found) throw new Error(`no button ${name}`);
  return found;
}

/** Starts a root `r1` that runs. */
function running(): void {
  const time = '2026-11-21T10:00:00.000Z';
  app.handle({ type: 'run/didChange', sessionId: 's1', events: [{ runId: 'r1', seq: 1, time, kind: 'runStarted', node: node({ id: 'r1', rootId: 'r1', agent: 'orchestrator' }) }] });
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
  app.handle(ready);
});

describe('Chat view input box', () => {
  it('sends on Enter and clears the box; Shift+Enter does not send', () => {
    type('Add a README');
    const shift = key('Enter', { shiftKey: true });
    expect(shift.defaultPrevented).toBe(false);
    expect(posted).toEqual([]);
    const enter = key('Enter');
    expect(enter.defaultPrevented).toBe(true);
    expect(posted).toEqual([{ type: 'chat/send', text: 'Add a README' }]);
    expect(textarea().value).toBe('');
  });

  it('sends once until the client answers, and puts the text of a failed send back', () => {
    type('Add a README');
    key('Enter');
    type('Add a README');
    key('Enter');
    expect(posted).toEqual([{ type: 'chat/send', text: 'Add a README' }]);
    app.handle({ type: 'error/show', message: 'No API key for OpenAI.', actions: [] });
    expect(textarea().value).toBe('Add a README');
    key('Enter');
    expect(posted).toHaveLength(2);
  });

  it('ignores the start of a run of another session than the one shown', () => {
    app.handle({ type: 'session/didLoad', session: { id: 's2' } as never, runs: [], events: [] });
    app.handle({ type: 'run/didStart', sessionId: 's1', runId: 'r9' });
    expect(root.querySelector('article[data-root-id="r9"]')).toBeNull();
  });

  it('shows the sent message as pending once the client says its run started', () => {
    type('Fix the tests');
    key('Enter');
    app.handle({ type: 'run/didStart', sessionId: 's1', runId: 'r9' });
    const section = root.querySelector('article[data-root-id="r9"]') as HTMLElement;
    expect(section.dataset.status).toBe('pending');
    expect(section.querySelector('.user-bubble')?.textContent).toBe('Fix the tests');
    expect(button('Stop').hidden).toBe(false);
  });

  it('sends an @agent message as text', () => {
    type('@coder write a.ts');
    key('Enter');
    expect(posted).toEqual([{ type: 'chat/send', text: '@coder write a.ts' }]);
  });

  it('swaps Send for Stop while a message runs; Stop and Escape cancel it', () => {
    expect(button('Send').hidden).toBe(false);
    expect(button('Stop').hidden).toBe(true);
    running();
    expect(button('Send').hidden).toBe(true);
    expect(button('Stop').hidden).toBe(false);
    button('Stop').click();
    const escape = key('Escape');
    expect(escape.defaultPrevented).toBe(true);
    expect(posted).toEqual([
      { type: 'run/cancel', runId: 'r1' },
      { type: 'run/cancel', runId: 'r1' },
    ]);
    // Escape from anywhere in the view, for example a focused button.
    const escapeOnButton = new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true });
    button('Stop').dispatchEvent(escapeOnButton);
    expect(escapeOnButton.defaultPrevented).toBe(true);
    expect(posted).toHaveLength(3);
    // Escape with the completion list open closes the list only.
    type('/');
    key('Escape');
    expect(posted).toHaveLength(3);
    // A new message waits for the running one.
    type('next');
    key('Enter');
    expect(posted).toHaveLength(3);
    expect(textarea().value).toBe('next');
  });

  it('does not send while the server is not ready, and keeps the text', () => {
    app.handle({ type: 'connection/didChange', state: 'restarting' });
    expect(button('Send').disabled).toBe(true);
    type('hello');
    key('Enter');
    expect(posted).toEqual([]);
    expect(textarea().value).toBe('hello');
    expect(root.querySelector('.composer-hint')?.textContent).toMatch(/not ready/);
    expect(key('Escape').defaultPrevented).toBe(false);
  });

  it('completes slash commands: arrows move, Enter picks, Escape closes', () => {
    type('/');
    expect(textarea().getAttribute('aria-expanded')).toBe('true');
    expect(options()).toEqual(['/help', '/new', '/clear', '/profile', '/model', '/provider', '/cd', '/workdir', '/sessions']);
    expect(listbox().textContent).toContain('Start a new chat');
    expect(activeOption()).toBe('/help');
    key('ArrowDown');
    expect(activeOption()).toBe('/new');
    key('ArrowUp');
    key('ArrowUp');
    expect(activeOption()).toBe('/sessions');

    type('/pr');
    expect(options()).toEqual(['/profile', '/provider']);
    key('ArrowDown');
    key('Enter');
    expect(textarea().value).toBe('/provider ');
    expect(textarea().getAttribute('aria-expanded')).toBe('false');
    expect(posted).toEqual([]);

    type('/c');
    expect(options()).toEqual(['/clear', '/cd']);
    key('Escape');
    expect(listbox().hidden).toBe(true);
    expect(posted).toEqual([]);
  });

  it('runs /help locally and sends the other commands to the client with their argument', () => {
    type('/help');
    key('Enter');
    expect(posted).toEqual([]);
    const help = root.querySelector('section[aria-label="Help"]');
    expect(help?.textContent).toContain('/model [provider/model]');

    type('/model openai/gpt-4o ');
    key('Enter');
    type('/ses');
    key('Tab');
    key('Enter');
    type('/etc/hosts is missing');
    key('Enter');
    expect(posted).toEqual([
      { type: 'slash/run', name: 'model', argument: 'openai/gpt-4o' },
      { type: 'slash/run', name: 'sessions' },
      { type: 'chat/send', text: '/etc/hosts is missing' },
    ]);
    type('/bogus');
    key('Enter');
    expect(posted).toHaveLength(3);
    expect(root.querySelector('.composer-hint')?.textContent).toBe('Unknown command /bogus. Type /help for the list.');
  });

  it('completes @agent names of the profile, with their descriptions', () => {
    app.handle({
      type: 'agents/didChange',
      profile: 'development',
      agents: [
        { name: 'code-reviewer', description: 'Reviews diffs' },
        { name: 'coder', description: 'Writes code' },
        { name: 'architect', description: 'Plans' },
      ],
    });
    type('@co');
    expect(options()).toEqual(['@code-reviewer', '@coder']);
    expect(listbox().textContent).toContain('Writes code');
    key('ArrowDown');
    key('Tab');
    expect(textarea().value).toBe('@coder ');
  });
});

describe('Chat view banners and empty state', () => {
  it('shows an error banner with its fixes, the first one primary; closes it, and clears it on the next send', () => {
    app.handle({
      type: 'error/show',
      message: 'OpenAI needs an API key.',
      actions: [
        { label: 'Set API Key', command: 'moco.setApiKey' },
        { label: 'Show Logs', command: 'moco.showLogs' },
      ],
    });
    const banner = root.querySelector('[role="alert"]') as HTMLElement;
    expect(banner.textContent).toContain('OpenAI needs an API key.');
    expect(button('Set API Key').classList.contains('primary')).toBe(true);
    expect(button('Show Logs').classList.contains('secondary')).toBe(true);
    button('Set API Key').click();
    expect(posted).toEqual([{ type: 'command/run', command: 'moco.setApiKey' }]);
    button('Close').click();
    expect(root.querySelector('[role="alert"]')).toBeNull();

    app.handle({ type: 'error/show', message: 'Again', actions: [] });
    type('retry');
    key('Enter');
    expect(root.querySelector('[role="alert"]')).toBeNull();
  });

  it('explains what to do in a new chat, with examples and the profile and model in use', () => {
    app.handle({ type: 'settings/didChange', showThinking: true, profile: 'development', model: 'zai/glm-4.7', workingDir: '/ws' });
    const empty = root.querySelector('section[aria-label="New chat"]') as HTMLElement;
    expect(empty.textContent).toContain('development');
    expect(empty.textContent).toContain('zai/glm-4.7');
    expect(root.querySelector('[aria-label="MOCO server connection"]')?.textContent).toMatch(/Connected to MOCO server 0\.1\.0.*pid 42/s);
    button('Explain how this project is organised').click();
    expect(textarea().value).toBe('Explain how this project is organised');

    running();
    expect(root.querySelector('section[aria-label="New chat"]')).toBeNull();
  });

  it('shows a notice from the client as a small line', () => {
    app.handle({ type: 'notice/show', message: 'Working directory: /ws' });
    expect(root.querySelector('.notice')?.textContent).toBe('Working directory: /ws');
  });
});
