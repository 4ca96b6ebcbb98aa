// Names of MCP tools for the model: server__tool, the OpenAI charset, 64 characters, unique.
import { describe, expect, it } from 'vitest';
import { assignToolNames, isValidToolName, mcpToolName, sanitizeNamePart } from '../../server/src/mcp/naming';

describe('MCP tool names', () => {
  it('joins server and tool with two underscores, keeping valid characters', () => {
    expect(mcpToolName('everything', 'get-sum')).toBe('everything__get-sum');
    expect(mcpToolName('files', 'read_text_file')).toBe('files__read_text_file');
  });

  it('replaces characters outside [a-zA-Z0-9_-]', () => {
    expect(sanitizeNamePart('my.server')).toBe('my_server');
    expect(mcpToolName('git hub', 'repos/list.all')).toBe('git_hub__repos_list_all');
    expect(mcpToolName('données', 'über')).toBe('donn_es___ber');
    expect(isValidToolName(mcpToolName('a b', 'ç'))).toBe(true);
  });

  it('cuts names past 64 characters and ends them with a hash of the original', () => {
    const long = mcpToolName('a-server-with-a-rather-long-name', 'and-a-tool-whose-name-is-even-longer-than-that');
    expect(long).toHaveLength(64);
    expect(isValidToolName(long)).toBe(true);
    expect(long).toMatch(/^a-server-with-a-rather-long-name__and-a-tool-whose-name-i_[0-9a-f]{6}$/);
    const sibling = mcpToolName('a-server-with-a-rather-long-name', 'and-a-tool-whose-name-is-even-longer-than-this');
    expect(sibling).not.toBe(long);
  });

  it('keeps names unique across servers and within one, the same way every time', () => {
    const input = [
      { server: 'my.server', tools: ['read', 'a.b', 'a_b'] },
      { server: 'my_server', tools: ['read'] },
      { server: 'a', tools: ['_b'] },
      { server: 'a_', tools: ['b'] },
    ];
    const names = assignToolNames(input);
    expect(Object.fromEntries([...names].map(([server, tools]) => [server, Object.fromEntries(tools)]))).toEqual({
      'my.server': { read: 'my_server__read', 'a.b': 'my_server__a_b', a_b: 'my_server__a_b_2' },
      my_server: { read: 'my_server__read_2' },
      a: { _b: 'a___b' },
      a_: { b: 'a___b_2' },
    });
    expect(assignToolNames(input)).toEqual(names);
  });

  it('keeps a suffixed long name within 64 characters', () => {
    const tool = 'x'.repeat(80);
    const names = assignToolNames([
      { server: 's', tools: [tool] },
      { server: 's.', tools: [tool] },
    ]);
    const second = names.get('s.')!.get(tool)!;
    expect(second).toHaveLength(64);
    expect(isValidToolName(second)).toBe(true);
    expect(second).not.toBe(names.get('s')!.get(tool));
  });
});
