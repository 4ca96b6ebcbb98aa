/** Status icons and words shared by tool cards, delegations and root runs. */
import type { RunViewStatus, ToolStatus } from '../state/model';
import { el, icon } from './dom';

const ICONS: Record<RunViewStatus | ToolStatus, string> = {
  pending: 'loading',
  queued: 'loading',
  running: 'loading',
  'waiting-for-approval': 'question',
  done: 'check',
  failed: 'error',
  cancelled: 'circle-slash',
  interrupted: 'debug-pause',
};

const WORDS: Record<RunViewStatus | ToolStatus, string> = {
  pending: 'starting',
  queued: 'queued',
  running: 'running',
  'waiting-for-approval': 'waiting for approval',
  done: 'done',
  failed: 'failed',
  cancelled: 'cancelled',
  interrupted: 'interrupted',
};

/** Words for a status, for screen readers and labels (`waiting for approval`). */
export function statusWords(status: RunViewStatus | ToolStatus): string {
  return WORDS[status];
}

/** A status icon (spinning while pending, queued or running) with the status as hidden text. */
export function statusIcon(status: RunViewStatus | ToolStatus): HTMLSpanElement {
  const spinning = status === 'pending' || status === 'queued' || status === 'running';
  const wrapper = el('span', `status-icon status-${status}`);
  wrapper.append(icon(ICONS[status], spinning ? 'codicon-modifier-spin' : undefined), el('span', 'sr-only', WORDS[status]));
  return wrapper;
}
