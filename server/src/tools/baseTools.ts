/**
 * The base tools of MOCO (issue 3), with MOCO's names and parameters, each implementation wrapped
 * by `guarded` (results.ts) so that only an abort escapes it.
 */
import type { z } from 'zod';
import { delegateDefinition, delegateImplementation } from './delegateTool';
import { listDirDefinition, treeDefinition } from './dirTools';
import { editFileImplementation } from './editFileImpl';
import { editFileDefinition, readFileDefinition, writeFileDefinition } from './fileTools';
import { globSearchImplementation } from './globSearchImpl';
import { grepImplementation } from './grepImpl';
import { listDirImplementation } from './listDirImpl';
import { readFileImplementation } from './readFileImpl';
import { ToolRegistry } from './registry';
import { guarded } from './results';
import { globSearchDefinition, grepDefinition } from './searchTools';
import { todoReadDefinition, todoWriteDefinition } from './todoTools';
import { todoReadImplementation, todoWriteImplementation } from './todoToolsImpl';
import { treeImplementation } from './treeImpl';
import type { Tool, ToolDefinition, ToolImplementation } from './types';
import { writeFileImplementation } from './writeFileImpl';

function tool<A extends z.ZodType>(definition: ToolDefinition<A>, implementation: ToolImplementation<A>): Tool<A> {
  return { definition, implementation: guarded(definition.name, implementation) };
}

/** Builds the base tools afresh (no state is shared between the returned objects and others). */
function baseTools(): Tool[] {
  const tools = [
    tool(readFileDefinition, readFileImplementation),
    tool(writeFileDefinition, writeFileImplementation),
    tool(editFileDefinition, editFileImplementation),
    tool(listDirDefinition, listDirImplementation),
    tool(globSearchDefinition, globSearchImplementation),
    tool(treeDefinition, treeImplementation),
    tool(grepDefinition, grepImplementation),
    tool(todoWriteDefinition, todoWriteImplementation),
    tool(todoReadDefinition, todoReadImplementation),
    tool(delegateDefinition, delegateImplementation),
  ];
  return tools;
}

/**
 * Names of the base tools, in registration order: read_file, write_file, edit_file, list_dir,
 * glob_search, tree, grep, todowrite, todoread, delegate_to_agent. A profile's `tools: ["*"]`
 * means all of these.
 */
export const BASE_TOOL_NAMES: readonly string[] = Object.freeze([
  'read_file',
  'write_file',
  'edit_file',
  'list_dir',
  'glob_search',
  'tree',
  'grep',
  'todowrite',
  'todoread',
  'delegate_to_agent',
]);

/** A new registry holding every base tool ({@link BASE_TOOL_NAMES}). */
export function createBaseToolRegistry(): ToolRegistry {
  const registry = new ToolRegistry();
  for (const baseTool of baseTools()) registry.register(baseTool);
  return registry;
}
