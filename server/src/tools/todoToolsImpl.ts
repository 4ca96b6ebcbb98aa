/** `todowrite` and `todoread` over the run's `ToolContext.todos`. */
import { plural } from './limits';
import { errorResult, okResult } from './results';
import type { todoReadParameters, todoWriteParameters } from './todoTools';
import type { TodoItem, ToolImplementation } from './types';

const MARK: Record<TodoItem['status'], string> = { pending: '[ ]', in_progress: '[~]', completed: '[x]' };

/** Implementation of `todowrite`: replaces the list. Duplicate ids are an error result. */
export const todoWriteImplementation: ToolImplementation<typeof todoWriteParameters> = (args, context) => {
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const item of args.todos) {
    if (seen.has(item.id)) duplicates.add(item.id);
    seen.add(item.id);
  }
  if (duplicates.size > 0) {
    return Promise.resolve(errorResult(`todo ids must be unique, and ${[...duplicates].join(', ')} appear more than once; give each item its own id`));
  }
  const items = args.todos.map((item) => ({ ...item }));
  context.todos.set(items);
  return Promise.resolve(okResult(`Todo list saved.\n${formatTodos(items)}`, summarize(items)));
};

/** Implementation of `todoread`: the list, one item per line. */
export const todoReadImplementation: ToolImplementation<typeof todoReadParameters> = (_args, context) => {
  const items = context.todos.get();
  if (items.length === 0) return Promise.resolve(okResult('The todo list is empty. Use todowrite to plan the task.', 'no todos'));
  return Promise.resolve(okResult(formatTodos(items), summarize(items)));
};

/**
 * One line per item, `[x] (high) tests: Write the unit tests` (`[ ]` pending, `[~]` in progress,
 * `[x]` completed).
 */
export function formatTodos(items: readonly TodoItem[]): string {
  if (items.length === 0) return '(empty)';
  return items.map((item) => `${MARK[item.status]} (${item.priority}) ${item.id}: ${item.content}`).join('\n');
}

/** `4 todos: 1 completed, 1 in progress, 2 pending`. */
function summarize(items: readonly TodoItem[]): string {
  const count = (status: TodoItem['status']) => items.filter((item) => item.status === status).length;
  if (items.length === 0) return 'cleared the todo list';
  return `${plural(items.length, 'todo')}: ${count('completed')} completed, ${count('in_progress')} in progress, ${count('pending')} pending`;
}
