// The tool registry (specs, argument parsing), the todo tools and delegate_to_agent.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BASE_TOOL_NAMES, createBaseToolRegistry } from '../../server/src/tools/baseTools';
import { ToolRegistry } from '../../server/src/tools/registry';
import type { TodoItem, ToolContext, ToolResult } from '../../server/src/tools/types';

const registry = createBaseToolRegistry();

function makeContext(overrides: Partial<ToolContext> = {}): ToolContext {
  let todos: TodoItem[] = [];
  return {
    workingDir: '/nonexistent-workspace',
    runId: 'run-1',
    agent: 'orchestrator',
    toolCallId: 'call_7',
    todos: { get: () => todos, set: (items) => (todos = items) },
    ...overrides,
  };
}

async function call(name: string, raw: string, context: ToolContext, signal = new AbortController().signal): Promise<ToolResult> {
  const parsed = registry.parseArguments(name, raw);
  if (!parsed.ok) throw new Error(parsed.message);
  return registry.get(name)!.implementation(parsed.args, context, signal);
}

describe('the base tool registry', () => {
  it('holds every base tool under MOCO\'s names', () => {
    expect(registry.names()).toEqual([...BASE_TOOL_NAMES]);
    expect(BASE_TOOL_NAMES).toEqual([
      'read_file', 'write_file', 'edit_file', 'list_dir', 'glob_search', 'tree', 'grep', 'todowrite', 'todoread', 'file_info', 'ripgrep',
      'find_definition', 'find_references', 'execute_bash', 'start_background', 'stop_process', 'list_processes', 'send_input',
      'wait_for_pattern', 'get_output', 'webfetch', 'websearch', 'git_status', 'git_diff', 'git_log', 'git_commit', 'create_pr', 'delegate_to_agent',
    ]);
    expect(registry.get('nope')).toBeUndefined();
  });

  it('gives OpenAI wire specs with object JSON Schemas and no $schema', () => {
    const specs = registry.specs(BASE_TOOL_NAMES);
    expect(specs.map((spec) => spec.function.name)).toEqual([...BASE_TOOL_NAMES]);
    for (const spec of specs) {
      expect(spec.type).toBe('function');
      expect(spec.function.description.length).toBeGreaterThan(40);
      expect(spec.function.parameters).toMatchObject({ type: 'object', properties: expect.any(Object) as object });
      expect(JSON.stringify(spec.function.parameters)).not.toContain('$schema');
      expect(JSON.stringify(spec.function.parameters)).not.toContain(String(Number.MAX_SAFE_INTEGER));
    }
    const [readFile] = registry.specs(['read_file']);
    expect(readFile!.function.parameters).toEqual({
      type: 'object',
      properties: {
        path: expect.objectContaining({ type: 'string' }) as object,
        offset: expect.objectContaining({ type: 'integer', minimum: 1 }) as object,
        limit: expect.objectContaining({ type: 'integer', minimum: 1 }) as object,
      },
      required: ['path'],
    });
    const [todoread] = registry.specs(['todoread']);
    expect(todoread!.function.parameters).toEqual({ type: 'object', properties: {} });
    const [todowrite] = registry.specs(['todowrite']);
    expect(todowrite!.function.parameters).toMatchObject({
      required: ['todos'],
      properties: { todos: { type: 'array', items: { type: 'object', properties: { status: { enum: ['pending', 'in_progress', 'completed'] } } } } },
    });
  });

  it('returns specs that callers cannot use to change the registry', () => {
    const [spec] = registry.specs(['grep']);
    (spec!.function.parameters.properties as Record<string, unknown>).pattern = 'changed';
    expect((registry.specs(['grep'])[0]!.function.parameters.properties as Record<string, unknown>).pattern).not.toBe('changed');
  });

  it('throws on an unknown tool in specs, naming the registered ones', () => {
    expect(() => registry.specs(['read_file', 'bash'])).toThrow('Unknown tools: bash. Registered tools: read_file, write_file');
  });

  it('refuses a second tool with the same name, and parameters that are not an object', () => {
    const own = new ToolRegistry();
    const echo = { definition: { name: 'echo', description: 'Echo.', parameters: z.object({ text: z.string() }) }, implementation: () => Promise.resolve({ content: '', summary: '' }) };
    own.register(echo);
    expect(() => own.register(echo)).toThrow('A tool named echo is registered already');
    expect(() => own.register({ definition: { name: 'bad', description: 'Bad.', parameters: z.string() }, implementation: echo.implementation })).toThrow(
      'The parameters of tool bad must be a z.object(...) schema',
    );
  });
});

describe('parseArguments', () => {
  it('parses valid arguments, and treats empty text as {}', () => {
    expect(registry.parseArguments('read_file', '{"path":"src/a.ts","offset":3}')).toEqual({ ok: true, args: { path: 'src/a.ts', offset: 3 } });
    expect(registry.parseArguments('todoread', '')).toEqual({ ok: true, args: {} });
  });

  it('explains malformed JSON and lists the parameters', () => {
    const parsed = registry.parseArguments('read_file', '{"path": "src/a.ts", "offset": ');
    expect(parsed.ok).toBe(false);
    const message = (parsed as { message: string }).message;
    expect(message).toMatch(/^The arguments of read_file are not valid JSON \(.+\)\. Send one JSON object\./);
    expect(message).toContain('read_file takes: path (string, required), offset (integer, minimum 1), limit (integer, minimum 1).');
  });

  it('names each field that does not match and what was expected', () => {
    const parsed = registry.parseArguments('edit_file', '{"file_path": "a.ts", "old_string": 1, "new_string": "x", "replace_all": "yes"}');
    expect(parsed.ok).toBe(false);
    const message = (parsed as { message: string }).message;
    expect(message).toContain('path: Invalid input: expected string, received undefined');
    expect(message).toContain('old_string: Invalid input: expected string, received number');
    expect(message).toContain('replace_all: Invalid input: expected boolean, received string');
    expect(message).toContain('unknown field file_path');
    expect(message).toContain('Fix the arguments and call edit_file again.');
  });

  it('explains nested mistakes and values that are not objects', () => {
    const nested = registry.parseArguments('todowrite', '{"todos": [{"id": "1", "content": "x", "status": "doing", "priority": "high"}]}');
    expect((nested as { message: string }).message).toContain('todos.0.status: Invalid option: expected one of "pending"|"in_progress"|"completed"');
    const array = registry.parseArguments('grep', '["TODO"]');
    expect((array as { message: string }).message).toContain('The arguments of grep must be a JSON object, not an array.');
  });

  it('answers an unknown tool with the available names', () => {
    expect(registry.parseArguments('bash', '{}')).toEqual({ ok: false, message: `There is no tool named bash. Available tools: ${BASE_TOOL_NAMES.join(', ')}.` });
  });
});

describe('todowrite and todoread', () => {
  const todos = [
    { id: '1', content: 'Read the code', status: 'completed', priority: 'high' },
    { id: '2', content: 'Write the tests', status: 'in_progress', priority: 'medium' },
    { id: '3', content: 'Update the docs', status: 'pending', priority: 'low' },
  ];

  it('keeps the list in the run\'s context and reads it back', async () => {
    const context = makeContext();
    expect((await call('todoread', '{}', context)).content).toContain('The todo list is empty');
    const written = await call('todowrite', JSON.stringify({ todos }), context);
    expect(written.summary).toBe('3 todos: 1 completed, 1 in progress, 1 pending');
    expect(context.todos.get()).toEqual(todos);
    const read = await call('todoread', '{}', context);
    expect(read.content).toBe('[x] (high) 1: Read the code\n[~] (medium) 2: Write the tests\n[ ] (low) 3: Update the docs');
  });

  it('refuses duplicate ids and keeps the old list', async () => {
    const context = makeContext();
    await call('todowrite', JSON.stringify({ todos }), context);
    const result = await call('todowrite', JSON.stringify({ todos: [todos[0], todos[0]] }), context);
    expect(result.isError).toBe(true);
    expect(result.content).toContain('1 appear more than once');
    expect(context.todos.get()).toHaveLength(3);
  });

  it('keeps the lists of two runs apart', async () => {
    const first = makeContext();
    const second = makeContext({ runId: 'run-2' });
    await call('todowrite', JSON.stringify({ todos }), first);
    expect(second.todos.get()).toEqual([]);
  });
});

describe('delegate_to_agent', () => {
  it('hands the call to context.delegate with the tool call id and the signal', async () => {
    const signal = new AbortController().signal;
    const calls: unknown[][] = [];
    const context = makeContext({
      delegate: (agentName, task, toolCallId, callSignal) => {
        calls.push([agentName, task, toolCallId, callSignal]);
        return Promise.resolve({ content: 'done: 3 files', summary: 'coder finished' });
      },
    });
    const result = await call('delegate_to_agent', '{"agent_name": "Coder", "task": "Write a.ts"}', context, signal);
    expect(result).toEqual({ content: 'done: 3 files', summary: 'coder finished' });
    expect(calls).toEqual([['Coder', 'Write a.ts', 'call_7', signal]]);
  });

  it('is an error result when the agent may not delegate', async () => {
    const result = await call('delegate_to_agent', '{"agent_name": "coder", "task": "x"}', makeContext({ agent: 'reviewer' }));
    expect(result.isError).toBe(true);
    expect(result.content).toContain('agent reviewer cannot delegate');
  });

  it('lets the abort reason through and turns other failures into error results', async () => {
    const controller = new AbortController();
    const aborting = makeContext({
      delegate: () => {
        controller.abort();
        return Promise.reject(controller.signal.reason as Error);
      },
    });
    await expect(call('delegate_to_agent', '{"agent_name": "a", "task": "b"}', aborting, controller.signal)).rejects.toMatchObject({ name: 'AbortError' });
    const failing = makeContext({ delegate: () => Promise.reject(new Error('child crashed')) });
    const result = await call('delegate_to_agent', '{"agent_name": "a", "task": "b"}', failing);
    expect(result.isError).toBe(true);
    expect(result.content).toContain('delegate_to_agent failed: child crashed');
  });
});
