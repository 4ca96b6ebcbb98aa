/**
 * Definitions of `todowrite` and `todoread`, with MOCO's names and todo fields. Implementations:
 * todoToolsImpl.ts. The list lives in the agent run's `ToolContext.todos`.
 */
import { z } from 'zod';
import type { ToolDefinition } from './types';

/** One todo item as the model writes it (types.ts `TodoItem`). */
export const todoItemSchema = z.object({
  id: z.string().min(1).describe('A short unique id, for example "1" or "tests".'),
  content: z.string().min(1).describe('What is to be done, in one sentence.'),
  status: z.enum(['pending', 'in_progress', 'completed']).describe('pending, in_progress (what is being worked on now) or completed.'),
  priority: z.enum(['high', 'medium', 'low']).describe('high, medium or low.'),
});

/** Arguments of `todowrite`. */
export const todoWriteParameters = z.object({
  todos: z.array(todoItemSchema).describe('The whole todo list; it replaces the previous one.'),
});

/** `todowrite {todos: [{id, content, status, priority}]}`. */
export const todoWriteDefinition: ToolDefinition<typeof todoWriteParameters> = {
  name: 'todowrite',
  description:
    'Write your todo list for this task: the whole list each time, replacing the previous one. Use it to plan work of ' +
    'several steps and to track progress: mark one item in_progress while you work on it, and completed when it is done.',
  parameters: todoWriteParameters,
};

/** Arguments of `todoread`: none. */
export const todoReadParameters = z.object({});

/** `todoread {}`. */
export const todoReadDefinition: ToolDefinition<typeof todoReadParameters> = {
  name: 'todoread',
  description: 'Read your current todo list for this task, with each item\'s status and priority.',
  parameters: todoReadParameters,
};
