import { describe, expect, it } from 'vitest';
import { MocoErrorCodes } from '../../protocol/errors';
import type { ChatMessage } from '../../protocol/run';
import { LmAnswer, lmErrorCode, lmErrorMessage, parseToolInput, toLmMessages, toLmTools, type LmParts } from '../../client/src/lm/messages';

type Part = { text: string } | { call: string; name: string; input: object } | { result: string; content: Part[] };
type Message = { role: 'user' | 'assistant'; content: Part[] };

/** Plain stand-ins for `vscode.LanguageModelChatMessage` and its parts. */
const parts: LmParts<Message, Part, Part, Part> = {
  user: (content) => ({ role: 'user', content }),
  assistant: (content) => ({ role: 'assistant', content }),
  text: (value) => ({ text: value }),
  toolCall: (callId, name, input) => ({ call: callId, name, input }),
  toolResult: (callId, content) => ({ result: callId, content }),
};

describe('OpenAI messages as vscode.lm messages', () => {
  it('turns the system prompt into a user message (vscode.lm has no system role)', () => {
    const messages: ChatMessage[] = [
      { role: 'system', content: 'You are the coder.' },
      { role: 'user', content: 'Add a test.' },
    ];
    expect(toLmMessages(messages, parts)).toEqual([
      { role: 'user', content: [{ text: 'You are the coder.' }] },
      { role: 'user', content: [{ text: 'Add a test.' }] },
    ]);
  });

  it('keeps an assistant turn’s text and tool calls, and puts one turn’s tool results in one user message', () => {
    const messages: ChatMessage[] = [
      {
        role: 'assistant',
        content: 'Reading both files.',
        reasoning: 'never sent back',
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'read_file', arguments: '{"path":"a.ts"}' } },
          { id: 'call_2', type: 'function', function: { name: 'read_file', arguments: '{"path":' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: 'export const a = 1;' },
      { role: 'tool', tool_call_id: 'call_2', content: 'Error: the arguments were not valid JSON.' },
      { role: 'assistant', content: null },
      { role: 'assistant', content: 'Done.' },
    ];
    expect(toLmMessages(messages, parts)).toEqual([
      {
        role: 'assistant',
        content: [
          { text: 'Reading both files.' },
          { call: 'call_1', name: 'read_file', input: { path: 'a.ts' } },
          { call: 'call_2', name: 'read_file', input: {} },
        ],
      },
      {
        role: 'user',
        content: [
          { result: 'call_1', content: [{ text: 'export const a = 1;' }] },
          { result: 'call_2', content: [{ text: 'Error: the arguments were not valid JSON.' }] },
        ],
      },
      { role: 'assistant', content: [{ text: 'Done.' }] },
    ]);
  });

  it('parses tool arguments to an object, else {}', () => {
    expect(parseToolInput('{"a":1}')).toEqual({ a: 1 });
    expect(parseToolInput('[1]')).toEqual({});
    expect(parseToolInput('"x"')).toEqual({});
    expect(parseToolInput('')).toEqual({});
  });

  it('offers the tools with their JSON schemas', () => {
    const schema = { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] };
    expect(toLmTools([{ type: 'function', function: { name: 'read_file', description: 'Reads a file', parameters: schema } }])).toEqual([
      { name: 'read_file', description: 'Reads a file', inputSchema: schema },
    ]);
  });
});

describe('a vscode.lm answer as an lm/chat result', () => {
  it('joins the text and reports stop', () => {
    const answer = new LmAnswer();
    answer.addText('Hel');
    answer.addText('lo');
    expect(answer.result({ inputTokens: 10, outputTokens: 2 })).toEqual({ text: 'Hello', toolCalls: [], finishReason: 'stop', usage: { inputTokens: 10, outputTokens: 2 } });
  });

  it('turns tool call parts into OpenAI tool calls with JSON arguments, finishing with tool_calls', () => {
    const answer = new LmAnswer();
    answer.addToolCall('c1', 'write_file', { path: 'a.ts', content: 'x' });
    expect(answer.result()).toEqual({
      text: '',
      toolCalls: [{ id: 'c1', type: 'function', function: { name: 'write_file', arguments: '{"path":"a.ts","content":"x"}' } }],
      finishReason: 'tool_calls',
    });
  });
});

describe('vscode.lm errors', () => {
  it('map to MOCO error codes that offer the right fix', () => {
    expect(lmErrorCode('NoPermissions')).toBe(MocoErrorCodes.ProviderRejected);
    expect(lmErrorCode('Blocked')).toBe(MocoErrorCodes.ProviderRejected);
    expect(lmErrorCode('NotFound')).toBe(MocoErrorCodes.ProviderNotConfigured);
    expect(lmErrorCode('Unknown')).toBe(MocoErrorCodes.ProviderUnavailable);
    expect(lmErrorCode(undefined)).toBe(MocoErrorCodes.ProviderUnavailable);
  });

  it('say what to do', () => {
    expect(lmErrorMessage('copilot-gpt-4o', 'NotFound', '')).toBe('VS Code has no language model copilot-gpt-4o. Choose one with MOCO: Select Provider and Model.');
    expect(lmErrorMessage('m', 'NoPermissions', 'user declined')).toContain('(user declined)');
  });
});
