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
    expect(parseWebviewMessage({ type: 'command/run', command: 'moco.setApiKey' })).toEqual({ type: 'command/run', command: 'moco.setApiKey' });
  });

  it('accepts the chat commands with their fields', () => {
    expect(parseWebviewMessage({ type: 'chat/send', text: '@coder write a.ts' })).toEqual({ type: 'chat/send', text: '@coder write a.ts' });
    for (const type of ['run/cancel', 'run/resume', 'run/reveal']) {
      expect(parseWebviewMessage({ type, runId: 'r1' })).toEqual({ type, runId: 'r1' });
    }
    expect(parseWebviewMessage({ type: 'approval/respond', approvalId: 'a1', decision: 'always' })).toEqual({
      type: 'approval/respond',
      approvalId: 'a1',
      decision: 'always',
    });
    expect(parseWebviewMessage({ type: 'slash/run', name: 'cd', argument: '  src  ' })).toEqual({ type: 'slash/run', name: 'cd', argument: 'src' });
    expect(parseWebviewMessage({ type: 'slash/run', name: 'model', argument: '   ' })).toEqual({ type: 'slash/run', name: 'model' });
    expect(parseWebviewMessage({ type: 'code/insert', code: '<b>' })).toEqual({ type: 'code/insert', code: '<b>' });
    expect(parseWebviewMessage({ type: 'code/copy', code: '' })).toEqual({ type: 'code/copy', code: '' });
  });

  it('ignores commands a webview may not run, and anything malformed', () => {
    for (const value of [
      { type: 'command/run', command: 'workbench.action.terminal.new' },
      { type: 'command/run' },
      { type: 'chat/send', text: '   ' },
      { type: 'chat/send', text: 42 },
      { type: 'run/cancel' },
      { type: 'run/resume', runId: '' },
      { type: 'approval/respond', approvalId: 'a1', decision: 'maybe' },
      { type: 'approval/respond', decision: 'approve' },
      { type: 'slash/run', name: 'help' },
      { type: 'slash/run', name: 'rm' },
      { type: 'code/copy' },
      { type: 'nope' },
      'webview/ready',
      null,
      undefined,
      42,
    ]) {
      expect(parseWebviewMessage(value), JSON.stringify(value)).toBeUndefined();
    }
  });
});
