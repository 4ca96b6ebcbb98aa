// MCP tool results as the model reads them, and the backoff and quarantine arithmetic.
import { describe, expect, it } from 'vitest';
import { FailureWindow, reconnectDelay } from '../../server/src/mcp/failures';
import { MCP_RESULT_MAX_CHARS, toToolResult } from '../../server/src/mcp/results';

describe('toToolResult', () => {
  it('joins text parts and summarises the first line', () => {
    const result = toToolResult('files', 'list_directory', { content: [{ type: 'text', text: '[DIR] src' }, { type: 'text', text: '[FILE] README.md' }] });
    expect(result).toEqual({ content: '[DIR] src\n[FILE] README.md', summary: 'files/list_directory: [DIR] src' });
  });

  it('describes images, audio, links and resources without their bytes', () => {
    const result = toToolResult('everything', 'mixed', {
      content: [
        { type: 'image', data: 'AAAA', mimeType: 'image/png' },
        { type: 'audio', data: 'AAAAAA==', mimeType: 'audio/wav' },
        { type: 'resource_link', name: 'Notes', uri: 'file:///notes.md', mimeType: 'text/markdown', description: 'The notes' },
        { type: 'resource', resource: { uri: 'demo://text/1', mimeType: 'text/plain', text: 'hello' } },
        { type: 'resource', resource: { uri: 'demo://blob/1', blob: 'AAAAAAAA' } },
      ],
    });
    expect(result.content).toBe(
      [
        '[image: image/png, 3 bytes, not shown]',
        '[audio: audio/wav, 4 bytes, not shown]',
        '[resource link: Notes <file:///notes.md> (text/markdown): The notes]',
        '[resource <demo://text/1> (text/plain)]\nhello',
        '[resource <demo://blob/1>: 6 bytes of binary data, not shown]',
      ].join('\n'),
    );
  });

  it('shows structured content when there is no text, and says when there is nothing', () => {
    expect(toToolResult('w', 'weather', { content: [], structuredContent: { temperature: 21 } }).content).toBe('{\n  "temperature": 21\n}');
    expect(toToolResult('w', 'noop', { content: [] })).toEqual({ content: '(the tool returned no content)', summary: 'w/noop: no content' });
  });

  it('keeps isError as an error result', () => {
    const failed = toToolResult('files', 'read_text_file', { content: [{ type: 'text', text: 'Access denied - path outside allowed directories' }], isError: true });
    expect(failed).toEqual({ content: 'Access denied - path outside allowed directories', summary: 'files/read_text_file failed: Access denied - path outside allowed directories', isError: true });
    expect(toToolResult('s', 't', { content: [], isError: true }).content).toBe('The MCP tool t of the server s failed and gave no reason.');
  });

  it('cuts a huge result and says what was left out', () => {
    const result = toToolResult('s', 'dump', { content: [{ type: 'text', text: 'x'.repeat(MCP_RESULT_MAX_CHARS + 10) }] });
    expect(result.content.length).toBeLessThan(MCP_RESULT_MAX_CHARS + 300);
    expect(result.content).toContain('[cut: 10 more characters of this MCP result were left out');
  });

  it('shows a legacy toolResult answer as JSON', () => {
    expect(toToolResult('old', 'tool', { toolResult: { ok: true } }).content).toBe('{\n  "ok": true\n}');
  });
});

describe('reconnect backoff and quarantine window', () => {
  it('doubles the delay per attempt up to the maximum, with jitter between half and all of it', () => {
    expect([1, 2, 3, 4, 5, 6].map((attempt) => reconnectDelay(attempt, 1_000, 30_000, 0))).toEqual([500, 1_000, 2_000, 4_000, 8_000, 15_000]);
    expect(reconnectDelay(3, 1_000, 30_000, 0.999)).toBe(3_998);
    expect(reconnectDelay(20, 1_000, 30_000, 0.5)).toBe(22_500);
  });

  it('counts only the failures within the window', () => {
    const window = new FailureWindow(60_000);
    expect(window.record(0)).toBe(1);
    expect(window.record(30_000)).toBe(2);
    expect(window.record(61_000)).toBe(2);
    expect(window.record(62_000)).toBe(3);
    window.reset();
    expect(window.record(63_000)).toBe(1);
  });
});
