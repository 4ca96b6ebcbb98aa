/** How a run status looks in the trees: its codicon, its color and its words. Pure. */
import type { RunStatus } from '../../../protocol/run';
import type { TreeIcon } from './treeModel';

/**
 * The codicon of a status (https://microsoft.github.io/vscode-codicons/): a spinning `loading` while
 * running, `check` done, `error` failed, `circle-slash` cancelled, `debug-pause` interrupted, `bell`
 * while waiting for approval, `clock` queued. Colors are theme color ids of the workbench.
 */
export function statusIcon(status: RunStatus): TreeIcon {
  switch (status) {
    case 'queued':
      return { id: 'clock' };
    case 'running':
      return { id: 'loading~spin' };
    case 'waiting-for-approval':
      return { id: 'bell', color: 'notificationsWarningIcon.foreground' };
    case 'done':
      return { id: 'check', color: 'testing.iconPassed' };
    case 'failed':
      return { id: 'error', color: 'testing.iconFailed' };
    case 'cancelled':
      return { id: 'circle-slash' };
    case 'interrupted':
      return { id: 'debug-pause', color: 'notificationsWarningIcon.foreground' };
  }
}

/** The status in words: `running`, `waiting for approval`... */
export function statusWord(status: RunStatus): string {
  return status === 'waiting-for-approval' ? 'waiting for approval' : status;
}

/** Whether a run with this status still runs (and can be cancelled). */
export function isActiveStatus(status: RunStatus): boolean {
  return status === 'queued' || status === 'running' || status === 'waiting-for-approval';
}
