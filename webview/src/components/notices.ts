/**
 * Lines of the chat that are not part of a run: a notice from the client (`notice/show`), the
 * help of `/help`, and the empty state of a new chat.
 */
import type { ChatSettingsNotification } from '../../../protocol/webview';
import { SLASH_COMMANDS } from '../state/slash';
import { el, icon } from './dom';

/** A small info line (`notice/show`). */
export function renderNotice(message: string): HTMLElement {
  const node = el('div', 'notice notice-info local');
  node.append(icon('info'), el('span', undefined, message));
  return node;
}

/** The answer of `/help`: the commands, `@agent` and the keys. */
export function renderHelp(): HTMLElement {
  const node = el('section', 'help local');
  node.setAttribute('aria-label', 'Help');
  node.append(el('h2', undefined, 'Commands'));
  const list = el('dl');
  for (const command of SLASH_COMMANDS) list.append(el('dt', undefined, command.usage), el('dd', undefined, command.description));
  list.append(el('dt', undefined, '@agent task'), el('dd', undefined, 'Send the task straight to one agent of the profile'));
  node.append(list, el('h2', undefined, 'Keys'));
  const keys = el('dl');
  for (const [key, what] of [
    ['Enter', 'Send'],
    ['Shift+Enter', 'New line'],
    ['Escape', 'Stop the running message'],
    ['↑ ↓, Tab', 'Move in and pick from the completion list'],
  ]) {
    keys.append(el('dt', undefined, key), el('dd', undefined, what));
  }
  node.append(keys);
  return node;
}

/** Example tasks of the empty state. */
export const EXAMPLE_TASKS: readonly string[] = [
  'Explain how this project is organised',
  'Add unit tests for the functions in the open file',
  'Find and fix the bug behind the failing test',
  'Review my uncommitted changes',
];

/**
 * What a new chat shows: what MOCO does, example tasks (clicking one puts it in the input box)
 * and the profile and model in use.
 */
export function renderEmptyState(settings: ChatSettingsNotification | undefined, onExample: (task: string) => void): HTMLElement {
  const node = el('section', 'empty-state');
  node.setAttribute('aria-label', 'New chat');
  node.append(
    el('h2', undefined, 'Ask a team of agents'),
    el(
      'p',
      undefined,
      'Describe a task. The orchestrator plans it and delegates the work to the agents of your profile; you watch them here and in the Agents view, and can stop them at any time.',
    ),
  );
  const examples = el('ul', 'examples');
  examples.setAttribute('aria-label', 'Example tasks');
  for (const task of EXAMPLE_TASKS) {
    const item = el('li');
    const link = el('button', 'example');
    link.type = 'button';
    link.append(icon('sparkle'), document.createTextNode(task));
    link.addEventListener('click', () => onExample(task));
    item.append(link);
    examples.append(item);
  }
  node.append(examples);
  if (settings) {
    const using = el('p', 'empty-settings');
    using.append('Profile ', el('strong', undefined, settings.profile), ' · Model ', el('strong', undefined, settings.model));
    node.append(using);
  }
  node.append(el('p', 'empty-tip', 'Type / for commands, @ to talk to one agent.'));
  return node;
}
