/**
 * `delegate_to_agent {agent_name, task}`: the definition, and a thin implementation that hands
 * the call to `ToolContext.delegate` (the orchestrator's delegation module starts the child run).
 */
import { z } from 'zod';
import { errorResult } from './results';
import type { ToolDefinition, ToolImplementation } from './types';

/** Arguments of `delegate_to_agent`. */
export const delegateParameters = z.object({
  agent_name: z.string().min(1).describe('Name of the agent to delegate to, as the profile lists it (case does not matter).'),
  task: z
    .string()
    .min(1)
    .describe('The complete task for that agent: what to do, the files and facts it needs, and what to answer with. It does not see your conversation.'),
});

/** `delegate_to_agent {agent_name, task}`. */
export const delegateDefinition: ToolDefinition<typeof delegateParameters> = {
  name: 'delegate_to_agent',
  description:
    'Give a task to another agent of the team and get its final answer back. The agent starts with a fresh context, ' +
    'so the task must say everything it needs. Several delegate_to_agent calls in one turn run in parallel.',
  parameters: delegateParameters,
};

/**
 * Implementation of `delegate_to_agent`: `context.delegate(agent_name, task, toolCallId, signal)`,
 * or an error result when this agent may not delegate (`context.delegate` absent). The delegate
 * function resolves unknown agent names and reports them (with the valid names) itself.
 */
export const delegateImplementation: ToolImplementation<typeof delegateParameters> = async (args, context, signal) => {
  if (!context.delegate) {
    return errorResult(
      `agent ${context.agent} cannot delegate: delegate_to_agent is not among its tools; do the task yourself, ` +
        'or say in your answer which agent should do it',
    );
  }
  return context.delegate(args.agent_name, args.task, context.toolCallId, signal);
};
