/**
 * The input box: Enter sends, Shift+Enter inserts a new line, Escape closes the completion list
 * (else it bubbles up to the chat, which stops the running message). `/` at the start completes
 * slash commands, `@` the profile's agents. Send turns into Stop while a message runs.
 */
import type { ChatAgent } from '../../../protocol/webview';
import { matchSlashCommands } from '../state/slash';
import { CompletionList, type CompletionOption } from './completion';
import { button, el } from './dom';

/** What the composer asks of the chat. */
export interface ComposerCallbacks {
  /** The user sent this text (not blank). Returns false to keep it in the box. */
  submit(text: string): boolean;
  /** The user pressed Stop. */
  stop(): void;
}

export class Composer {
  readonly element: HTMLElement;
  readonly textarea: HTMLTextAreaElement;
  private readonly sendButton: HTMLButtonElement;
  private readonly stopButton: HTMLButtonElement;
  private readonly hint: HTMLElement;
  private readonly context: HTMLElement;
  private readonly completion: CompletionList;
  private agents: ChatAgent[] = [];
  private ready = false;

  constructor(private readonly callbacks: ComposerCallbacks) {
    this.element = el('div', 'composer');
    this.textarea = el('textarea', 'composer-input');
    this.textarea.setAttribute('aria-label', 'Message MOCO');
    this.textarea.placeholder = 'Ask MOCO (/ for commands, @ for an agent)';
    this.textarea.rows = 1;
    this.completion = new CompletionList(this.textarea, (option) => this.pick(option));

    this.sendButton = button('Send', 'icon', 'send');
    this.sendButton.classList.add('send-button');
    this.sendButton.addEventListener('click', () => this.send());
    this.stopButton = button('Stop', 'icon', 'debug-stop');
    this.stopButton.classList.add('stop-button');
    this.stopButton.addEventListener('click', () => this.callbacks.stop());

    const box = el('div', 'composer-box');
    const actions = el('div', 'composer-actions');
    actions.append(this.sendButton, this.stopButton);
    box.append(this.textarea, actions);
    this.hint = el('div', 'composer-hint');
    this.hint.setAttribute('role', 'status');
    this.context = el('div', 'composer-context');
    const below = el('div', 'composer-below');
    below.append(this.context, this.hint);
    this.element.append(this.completion.element, box, below);

    this.textarea.addEventListener('keydown', (event) => this.onKeyDown(event));
    this.textarea.addEventListener('input', () => {
      this.showHint('');
      this.updateCompletion();
    });
    this.textarea.addEventListener('blur', () => this.completion.hide());
    this.setState(false, false);
  }

  /** Whether the server is ready (sending allowed) and whether a message runs (Stop shown). */
  setState(ready: boolean, running: boolean): void {
    this.ready = ready;
    this.sendButton.hidden = running;
    this.sendButton.disabled = !ready;
    this.stopButton.hidden = !running;
    if (!ready) this.showHint('Waiting for the MOCO server…');
    else if (this.hint.textContent === 'Waiting for the MOCO server…') this.showHint('');
  }

  /** The agents `@` completes (the current profile's). */
  setAgents(agents: ChatAgent[]): void {
    this.agents = agents;
  }

  /** The line under the box: the profile and model the next message uses. */
  setContext(text: string): void {
    this.context.textContent = text;
  }

  /** Shows a short hint under the box ('' clears it). */
  showHint(text: string): void {
    if (this.hint.textContent !== text) this.hint.textContent = text;
  }

  /** Puts text in the box and focuses it (an example task, a picked command). */
  fill(text: string): void {
    this.textarea.value = text;
    this.textarea.focus();
    this.textarea.setSelectionRange(text.length, text.length);
    this.updateCompletion();
  }

  private onKeyDown(event: KeyboardEvent): void {
    if (event.isComposing) return;
    if (this.completion.isOpen) {
      const option = this.completion.current();
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        this.completion.move(event.key === 'ArrowDown' ? 1 : -1);
        return;
      }
      // Enter on an option that is already typed out (`/help`) sends it rather than picking it.
      const typedOut = option !== undefined && option.insert.trim() === this.textarea.value.trim();
      if ((event.key === 'Enter' && !event.shiftKey && !typedOut) || event.key === 'Tab') {
        event.preventDefault();
        if (option) this.pick(option);
        return;
      }
      if (event.key === 'Escape') {
        event.preventDefault();
        event.stopPropagation();
        this.completion.hide();
        return;
      }
    }
    // Escape without a list open bubbles to the chat, which stops the running message.
    if (event.key === 'Enter' && !event.shiftKey && !event.altKey) {
      event.preventDefault();
      this.send();
    }
  }

  private send(): void {
    const text = this.textarea.value;
    if (text.trim() === '') return;
    if (!this.ready) {
      this.showHint('The MOCO server is not ready yet; your message is kept.');
      return;
    }
    if (!this.callbacks.submit(text)) return;
    this.textarea.value = '';
    this.completion.hide();
  }

  private pick(option: CompletionOption): void {
    this.textarea.value = option.insert;
    this.textarea.setSelectionRange(option.insert.length, option.insert.length);
    this.completion.hide();
    this.textarea.focus();
  }

  private updateCompletion(): void {
    const value = this.textarea.value;
    const slash = /^\/(\S*)$/.exec(value);
    if (slash) {
      const options = matchSlashCommands(slash[1] ?? '').map((c) => ({ label: `/${c.name}`, description: c.description, insert: `/${c.name} ` }));
      this.completion.show(options, 'Commands');
      return;
    }
    const mention = /^@([\w.-]*)$/.exec(value);
    if (mention) {
      const prefix = (mention[1] ?? '').toLowerCase();
      const options = this.agents
        .filter((a) => a.name.toLowerCase().startsWith(prefix))
        .map((a) => ({ label: `@${a.name}`, description: a.description, insert: `@${a.name} ` }));
      this.completion.show(options, 'Agents');
      return;
    }
    this.completion.hide();
  }
}
