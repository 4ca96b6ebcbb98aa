/**
 * A tool card: status, name, a one-line preview of the arguments, the result's summary and
 * duration, the full arguments on demand, and the approval buttons while the call waits for
 * the user. Buttons carry `data-action` and are handled by the transcript view's one listener.
 */
import type { ApprovalDecision } from '../../../protocol/run';
import { formatDuration, prettyArguments, previewArguments } from '../state/format';
import type { ApprovalView, ToolItem } from '../state/model';
import { button, el } from './dom';
import { statusIcon, statusWords } from './status';

/** The parts of a card that survive its updates (its open `<details>`, its delegations). */
export interface ToolCardElements {
  card: HTMLElement;
  /** Where the sections of the runs this call delegated to go. */
  delegations: HTMLElement;
}

/** Builds a card for a tool item; {@link updateToolCard} fills it. */
export function createToolCard(item: ToolItem): ToolCardElements {
  const card = el('div', 'tool-card');
  card.dataset.toolCallId = item.toolCallId;
  card.setAttribute('role', 'group');
  const header = el('div', 'tool-header');
  const summary = el('div', 'tool-summary');
  const args = el('details', 'tool-args');
  const argsSummary = el('summary', undefined, 'Arguments');
  args.append(argsSummary, el('pre'));
  const approval = el('div', 'approval');
  const delegations = el('div', 'tool-delegations');
  card.append(header, summary, args, approval, delegations);
  const elements = { card, delegations };
  updateToolCard(elements, item);
  return elements;
}

/** Shows the item's current state on its card. */
export function updateToolCard({ card }: ToolCardElements, item: ToolItem): void {
  card.dataset.status = item.status;
  card.setAttribute('aria-label', `Tool ${item.name}: ${statusWords(item.status)}`);
  const [header, summary, args, approval] = Array.from(card.children) as HTMLElement[];
  if (!header || !summary || !args || !approval) return;

  const preview = previewArguments(item.arguments);
  header.replaceChildren(statusIcon(item.status), el('span', 'tool-name', item.name));
  if (preview) header.append(el('span', 'tool-preview', preview));
  if (item.durationMs !== undefined) header.append(el('span', 'tool-duration', formatDuration(item.durationMs)));

  summary.textContent = item.summary ?? '';
  summary.hidden = !item.summary;
  summary.classList.toggle('failed', item.status === 'failed');

  const pretty = prettyArguments(item.arguments);
  args.hidden = pretty === '' || pretty === '{}';
  const pre = args.querySelector('pre');
  if (pre && pre.textContent !== pretty) pre.textContent = pretty;

  renderApproval(approval, item.approval, item.status);
}

const DECIDED: Record<ApprovalDecision, string> = {
  approve: 'Approved',
  deny: 'Denied',
  always: 'Always allowed in this session',
};

function renderApproval(target: HTMLElement, approval: ApprovalView | undefined, status: ToolItem['status']): void {
  target.hidden = !approval;
  if (!approval) {
    target.replaceChildren();
    return;
  }
  if (approval.decision) {
    target.replaceChildren(el('p', `approval-result decision-${approval.decision}`, DECIDED[approval.decision]));
    target.removeAttribute('role');
    return;
  }
  if (status !== 'waiting-for-approval') {
    // The run ended before anyone answered.
    target.replaceChildren(el('p', 'approval-result', 'Not answered'));
    return;
  }
  target.setAttribute('role', 'group');
  target.setAttribute('aria-label', 'Approval needed');
  const actions = el('div', 'actions');
  const choices: [string, ApprovalDecision, 'primary' | 'secondary'][] = [
    ['Approve', 'approve', 'primary'],
    ['Deny', 'deny', 'secondary'],
    ['Always allow in this session', 'always', 'secondary'],
  ];
  for (const [label, decision, style] of choices) {
    const node = button(label, style);
    node.dataset.action = 'approval';
    node.dataset.approvalId = approval.approvalId;
    node.dataset.decision = decision;
    actions.append(node);
  }
  target.replaceChildren(el('p', 'approval-reason', approval.reason), actions);
}
