/**
 * A delegation: a sub-agent's run as a nested, collapsible section inside its parent's answer,
 * with its agent, status, model, tokens and cost, its own items (recursively), and a link that
 * shows its node in the Agents view (`data-action="reveal"`).
 */
import { formatUsage } from '../state/format';
import { subtreeUsage, isFinalStatus } from '../state/transcript';
import type { RunView } from '../state/model';
import { button, el } from './dom';
import type { RunElements } from './runElements';
import { renderRunStatus } from './runStatus';
import { statusIcon, statusWords } from './status';

/**
 * Builds the section of a child run (`data-run-id`, `data-status`). `stored`: it comes from a
 * loaded session, where finished ones start collapsed; live ones start open. The user's
 * toggling is kept.
 */
export function createDelegation(run: RunView, stored: boolean): RunElements {
  const section = el('details', 'delegation');
  section.dataset.runId = run.id;
  section.open = !stored || !isFinalStatus(run.status);
  const summary = el('summary', 'delegation-summary');
  const iconSlot = el('span', 'delegation-icon');
  const agent = el('span', 'delegation-agent');
  const model = el('span', 'delegation-model');
  const usage = el('span', 'delegation-usage');
  summary.append(iconSlot, agent, model, usage);

  const body = el('div', 'delegation-body');
  const taskLine = el('div', 'delegation-task');
  const task = el('span', 'delegation-task-text');
  const reveal = button('Show in Agents view', 'secondary');
  reveal.className = 'link-button';
  reveal.dataset.action = 'reveal';
  reveal.dataset.runId = run.id;
  taskLine.append(task, reveal);
  const items = el('div', 'run-items');
  const status = el('div', 'run-status');
  body.append(taskLine, items, status);
  section.append(summary, body);

  return {
    section,
    items,
    update(current, transcript) {
      if (section.dataset.status !== current.status) {
        section.dataset.status = current.status;
        iconSlot.replaceChildren(statusIcon(current.status));
      }
      agent.textContent = current.agent;
      model.textContent = current.model;
      model.hidden = current.model === '';
      const totals = subtreeUsage(transcript, current.id);
      const tokens = totals.inputTokens + totals.outputTokens > 0 ? formatUsage(totals) : '';
      if (usage.textContent !== tokens) usage.textContent = tokens;
      summary.setAttribute('aria-label', `Sub-agent ${current.agent}, ${statusWords(current.status)}${tokens ? `, ${tokens}` : ''}`);
      if (task.textContent !== current.task) task.textContent = current.task;
      renderRunStatus(status, current, false);
    },
  };
}
