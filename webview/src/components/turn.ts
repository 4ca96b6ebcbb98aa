/**
 * A root run as the chat shows it: the user's message as a bubble, then the answer's items,
 * its status line and the footer with tokens and cost over the whole tree.
 */
import type { RunView } from '../state/model';
import { rootUsage } from '../state/transcript';
import { el } from './dom';
import { renderFooter } from './footer';
import type { RunElements } from './runElements';
import { renderRunStatus } from './runStatus';
import { statusWords } from './status';

/** Builds the section of a root run (`data-root-id`, `data-status`). */
export function createTurn(run: RunView): RunElements {
  // An article, not a section: 500 named sections would be 500 landmarks for a screen reader.
  const section = el('article', 'turn');
  section.dataset.rootId = run.id;
  const bubble = el('div', 'user-bubble');
  const user = el('div', 'user-message');
  user.append(bubble);
  const header = el('div', 'answer-header');
  const items = el('div', 'run-items');
  const status = el('div', 'run-status');
  const footer = el('div', 'turn-footer');
  const answer = el('div', 'answer');
  answer.append(header, items, status, footer);
  section.append(user, answer);
  return {
    section,
    items,
    update(current, transcript) {
      section.dataset.status = current.status;
      section.setAttribute('aria-label', `Your message, ${statusWords(current.status)}`);
      if (bubble.textContent !== current.task) bubble.textContent = current.task;
      user.hidden = current.task === '';
      const headerText = [current.agent, current.model].filter(Boolean).join(' · ');
      if (header.textContent !== headerText) header.textContent = headerText;
      header.hidden = headerText === '';
      renderRunStatus(status, current, true);
      renderFooter(footer, rootUsage(transcript, current.id));
    },
  };
}
