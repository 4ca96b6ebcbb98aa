/**
 * The search tools of issue 5: `ripgrep`, `find_definition`, `find_references`, each implementation
 * wrapped by `guarded` (../results.ts) so that only an abort escapes it.
 */
import type { z } from 'zod';
import { guarded } from '../results';
import type { Tool, ToolDefinition, ToolImplementation } from '../types';
import { findDefinitionDefinition, findReferencesDefinition, ripgrepDefinition } from './definitions';
import { ripgrepImplementation, type RipgrepDependencies } from './ripgrepImpl';
import { findDefinitionImplementation, findReferencesImplementation } from './symbolTools';

export { findDefinitionDefinition, findReferencesDefinition, ripgrepDefinition } from './definitions';
export { findSystemRipgrep } from './ripgrepLocate';
export type { RipgrepDependencies } from './ripgrepImpl';

function tool<A extends z.ZodType>(definition: ToolDefinition<A>, implementation: ToolImplementation<A>): Tool<A> {
  return { definition, implementation: guarded(definition.name, implementation) };
}

/** Names of the search tools, in the order of {@link searchTools}. */
export const SEARCH_TOOL_NAMES: readonly string[] = Object.freeze(['ripgrep', 'find_definition', 'find_references']);

/**
 * The search tools, built afresh. `find_definition` / `find_references` use
 * `context.services.symbols` (absent: a result saying symbol search is unavailable, suggesting
 * ripgrep); `ripgrep` uses `context.services.ripgrepPath`, else the system's `rg`, else the
 * JavaScript search.
 *
 * @param dependencies tests only: where the system's `rg` is looked for.
 */
export function searchTools(dependencies?: RipgrepDependencies): Tool[] {
  return [
    tool(ripgrepDefinition, ripgrepImplementation(dependencies)),
    tool(findDefinitionDefinition, findDefinitionImplementation),
    tool(findReferencesDefinition, findReferencesImplementation),
  ];
}
