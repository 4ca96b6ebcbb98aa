/** The footer of a root run: tokens in and out and the cost, rolled up over its sub-agents. */
import type { Usage } from '../../../protocol/run';
import { formatUsage } from '../state/format';

/** Shows `12.3k in · 1.2k out · $0.0123` in `target`; hides it while no token was counted. */
export function renderFooter(target: HTMLElement, usage: Usage): void {
  const empty = usage.inputTokens === 0 && usage.outputTokens === 0 && usage.costUsd === 0;
  target.hidden = empty;
  const text = empty ? '' : formatUsage(usage);
  if (target.textContent !== text) target.textContent = text;
  target.title = empty ? '' : 'Tokens in and out, and cost, of this message and all its sub-agents';
}
