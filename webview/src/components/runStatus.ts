/**
 * The status line at the end of a run's section: working, waiting for approval, the error of a
 * failed run, cancelled, or interrupted with a Resume button (`data-action="resume"`, roots only).
 */
import type { RunView } from '../state/model';
import { button, el } from './dom';
import { renderMarkdown } from './markdown';
import { statusIcon } from './status';

/** Fills `target` for the run's status; empty and hidden for a run that is done. */
export function renderRunStatus(target: HTMLElement, run: RunView, isRoot: boolean): void {
  // Usage updates come often: rebuild only when what is shown changes (keeps the spinner smooth).
  const hasText = run.items.some((item) => item.kind === 'text');
  const key = [run.status, run.agent, run.error?.message ?? '', hasText ? '' : (run.result ?? '')].join('\u0000');
  if (target.dataset.key === key) return;
  target.dataset.key = key;
  target.dataset.status = run.status;
  const line = (text: string): HTMLElement[] => [statusIcon(run.status), el('span', 'run-status-text', text)];
  const who = run.agent || 'MOCO';
  switch (run.status) {
    case 'pending':
      target.replaceChildren(...line('Starting…'));
      break;
    case 'queued':
      target.replaceChildren(...line('Queued'));
      break;
    case 'running':
      target.replaceChildren(...line(`${who} is working…`));
      break;
    case 'waiting-for-approval':
      target.replaceChildren(...line('Waiting for your approval'));
      break;
    case 'failed':
      target.replaceChildren(...line(run.error?.message ?? 'The run failed.'));
      break;
    case 'cancelled':
      target.replaceChildren(...line('Cancelled'));
      break;
    case 'interrupted': {
      target.replaceChildren(...line('Interrupted before it finished.'));
      if (isRoot) {
        const resume = button('Resume', 'secondary', 'debug-continue');
        resume.dataset.action = 'resume';
        resume.dataset.runId = run.id;
        target.append(resume);
      }
      break;
    }
    case 'done': {
      // The answer was streamed as text; a stored run without text still shows its result.
      if (run.result && !hasText) {
        const result = el('div', 'markdown');
        result.dataset.runId = run.id;
        result.append(renderMarkdown(run.result));
        target.replaceChildren(result);
      } else {
        target.replaceChildren();
      }
      break;
    }
  }
  target.hidden = target.childElementCount === 0;
}
