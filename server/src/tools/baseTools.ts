/**
 * The base tools of MOCO, with MOCO's names and parameters, each implementation wrapped by
 * `guarded` (results.ts) so that only an abort escapes it: the file, search and todo tools of
 * issue 3, and those of issue 5 (file_info, ripgrep and the symbol tools, the shell and process
 * tools, the web tools). MCP tools are added per run tree (`ToolRegistry.withTools`).
 */
import type { z } from 'zod';
import { delegateDefinition, delegateImplementation } from './delegateTool';
import { fileInfoTool } from './fileInfo';
import { PROCESS_TOOL_NAMES, processTools } from './process';
import { SEARCH_TOOL_NAMES, searchTools } from './search';
import { WEB_TOOL_NAMES, webTools } from './web';
import { GITHUB_TOOL_NAMES, githubTools } from './github';
import { GIT_TOOL_NAMES, gitTools } from './git';
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
    fileInfoTool(),
    ...searchTools(),
    ...processTools(),
    ...webTools(),
    ...gitTools(),
    ...githubTools(),
    tool(delegateDefinition, delegateImplementation),
  ];
  return tools;
}

/**
 * Names of the base tools, in registration order: read_file, write_file, edit_file, list_dir,
 * glob_search, tree, grep, todowrite, todoread, file_info, ripgrep, find_definition,
 * find_references, execute_bash, start_background, stop_process, list_processes, send_input,
 * wait_for_pattern, get_output, webfetch, websearch, git_status, git_diff, git_log, git_commit,
 * create_pr, delegate_to_agent. A profile's `tools: ["*"]`
 * means all of these but delegate_to_agent (websearch only where a search endpoint is set).
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
  'file_info',
  ...SEARCH_TOOL_NAMES,
  ...PROCESS_TOOL_NAMES,
  ...WEB_TOOL_NAMES,
  ...GIT_TOOL_NAMES,
  ...GITHUB_TOOL_NAMES,
  'delegate_to_agent',
]);

/** A new registry holding every base tool ({@link BASE_TOOL_NAMES}). */
export function createBaseToolRegistry(): ToolRegistry {
  const registry = new ToolRegistry();
  for (const baseTool of baseTools()) registry.register(baseTool);
  return registry;
}
