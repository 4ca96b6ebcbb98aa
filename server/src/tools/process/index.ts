/**
 * The shell and process tools (issue 5), with MOCO's names: `execute_bash`, `start_background`,
 * `stop_process`, `list_processes`, `send_input`, `wait_for_pattern`, `get_output`. Each runs its
 * commands in the session's sandbox (`ToolServices.sandbox`) after the run's command policy
 * (`ToolServices.commandGate`); background processes live in the session's table
 * (`ToolServices.processes`, made by {@link createProcessTable}).
 */
import type { z } from 'zod';
import { guarded } from '../results';
import type { Tool, ToolDefinition, ToolImplementation } from '../types';
import { listProcessesImplementation, sendInputImplementation, startBackgroundImplementation, stopProcessImplementation } from './backgroundImpl';
import {
  executeBashDefinition,
  getOutputDefinition,
  listProcessesDefinition,
  sendInputDefinition,
  startBackgroundDefinition,
  stopProcessDefinition,
  waitForPatternDefinition,
} from './definitions';
import { executeBashImplementation } from './executeBashImpl';
import { getOutputImplementation, waitForPatternImplementation } from './outputImpl';

export { createProcessTable, ProcessTable, type ProcessTableOptions } from './processTable';

function tool<A extends z.ZodType>(definition: ToolDefinition<A>, implementation: ToolImplementation<A>): Tool<A> {
  return { definition, implementation: guarded(definition.name, implementation) };
}

/** Builds the shell and process tools afresh, in the order of {@link PROCESS_TOOL_NAMES}. */
export function processTools(): Tool[] {
  return [
    tool(executeBashDefinition, executeBashImplementation),
    tool(startBackgroundDefinition, startBackgroundImplementation),
    tool(stopProcessDefinition, stopProcessImplementation),
    tool(listProcessesDefinition, listProcessesImplementation),
    tool(sendInputDefinition, sendInputImplementation),
    tool(waitForPatternDefinition, waitForPatternImplementation),
    tool(getOutputDefinition, getOutputImplementation),
  ];
}

/** Names of the shell and process tools, in registration order. */
export const PROCESS_TOOL_NAMES: readonly string[] = Object.freeze([
  'execute_bash',
  'start_background',
  'stop_process',
  'list_processes',
  'send_input',
  'wait_for_pattern',
  'get_output',
]);
