/**
 * Error banners above the input box (`error/show`): the message, buttons that fix it (the first
 * one primary) and a close button. They stay until closed or until the next message is sent.
 */
import type { ErrorBannerNotification, WebviewCommandId } from '../../../protocol/webview';
import { button, el, icon } from './dom';

export class Banners {
  /** The container of the banners. */
  readonly element: HTMLElement = el('div', 'banners');

  /** @param run runs a banner action's command (`command/run`). */
  constructor(private readonly run: (command: WebviewCommandId) => void) {}

  /** Shows a banner; an identical one already shown is replaced. */
  show(message: ErrorBannerNotification): void {
    for (const existing of Array.from(this.element.children)) {
      if ((existing as HTMLElement).dataset.message === message.message) existing.remove();
    }
    const banner = el('div', 'banner');
    banner.setAttribute('role', 'alert');
    banner.dataset.message = message.message;
    const text = el('div', 'banner-text');
    text.append(icon('error'), el('span', 'banner-message', message.message));
    const close = button('Close', 'icon', 'close');
    close.classList.add('banner-close');
    close.addEventListener('click', () => banner.remove());
    const actions = el('div', 'actions');
    message.actions.forEach((action, index) => {
      const node = button(action.label, index === 0 ? 'primary' : 'secondary');
      node.addEventListener('click', () => this.run(action.command));
      actions.append(node);
    });
    banner.append(text, close);
    if (message.actions.length > 0) banner.append(actions);
    this.element.append(banner);
  }

  /** Removes every banner. */
  clear(): void {
    this.element.replaceChildren();
  }
}
