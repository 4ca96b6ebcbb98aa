import { describe, expect, it } from 'vitest';
import { formatDuration, serverStatusLines } from '../../client/src/commands/serverStatus';
import { errorMessage } from '../../client/src/errorMessage';

describe('MOCO: Show Server Status', () => {
  it('lists version, uptime, pid, Node version, storage path and memory', () => {
    const lines = serverStatusLines({
      version: '1.2.3',
      pid: 4242,
      nodeVersion: 'v24.21.0',
      uptimeMs: 125_000,
      startedAt: '2026-11-21T00:00:00.000Z',
      storagePath: '/home/me/.vscode/storage/moco',
      rssBytes: 52 * 1024 * 1024,
    });
    expect(lines).toEqual([
      'Version: 1.2.3',
      'Uptime: 2 min 5 s',
      'Process id: 4242',
      'Node.js: v24.21.0',
      'Storage: /home/me/.vscode/storage/moco',
      'Memory (RSS): 52.0 MB',
    ]);
  });

  it('formats durations in seconds, minutes and hours', () => {
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(59_999)).toBe('59 s');
    expect(formatDuration(60_000)).toBe('1 min 0 s');
    expect(formatDuration(3_600_000 + 5 * 60_000 + 7_000)).toBe('1 h 5 min');
  });
});

describe('errorMessage', () => {
  it('keeps the server error message, which says what to do', () => {
    expect(errorMessage({ code: 1001, message: 'MOCO cannot use its storage folder /x.' })).toBe(
      'MOCO cannot use its storage folder /x.',
    );
  });

  it('says something for values that are not errors', () => {
    expect(errorMessage(undefined)).toBe('Unexpected failure: undefined');
    expect(errorMessage(new Error(''))).toBe('Unexpected failure: Error');
  });
});
