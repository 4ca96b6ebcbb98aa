import { describe, expect, it } from 'vitest';
import { parseWebviewMessage } from '../../protocol/webview';

describe('parseWebviewMessage', () => {
  it('accepts the webview/ready command', () => {
    expect(parseWebviewMessage({ type: 'webview/ready' })).toEqual({ type: 'webview/ready' });
  });

  it('accepts command/run for the commands a webview may run, dropping extra fields', () => {
    expect(parseWebviewMessage({ type: 'command/run', command: 'moco.showLogs', extra: 1 })).toEqual({
      type: 'command/run',
      command: 'moco.showLogs',
    });
  });

  it('ignores commands a webview may not run, and anything malformed', () => {
    for (const value of [
      { type: 'command/run', command: 'workbench.action.terminal.new' },
      { type: 'command/run' },
      { type: 'nope' },
      'webview/ready',
      null,
      undefined,
      42,
    ]) {
      expect(parseWebviewMessage(value)).toBeUndefined();
    }
  });
});
