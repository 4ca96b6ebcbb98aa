/**
 * The web tools of issue 5: `webfetch` and `websearch`, each implementation wrapped by `guarded`
 * (../results.ts) so that only an abort escapes it.
 */
import type { z } from 'zod';
import { guarded } from '../results';
import type { WebOptions } from '../services';
import type { Tool, ToolDefinition, ToolImplementation } from '../types';
import { webfetchDefinition, websearchDefinition } from './definitions';
import { webfetchImplementation, type WebfetchDependencies } from './webfetchImpl';
import { websearchImplementation } from './websearchImpl';

export { webfetchDefinition, websearchDefinition } from './definitions';
export { DEFAULT_WEB_OPTIONS } from './webfetchImpl';
export type { WebfetchDependencies } from './webfetchImpl';
export type { WebNetwork } from './httpFetch';

function tool<A extends z.ZodType>(definition: ToolDefinition<A>, implementation: ToolImplementation<A>): Tool<A> {
  return { definition, implementation: guarded(definition.name, implementation) };
}

/**
 * Both web tools, built afresh. Offer the model only the names of {@link webToolNames}: websearch
 * is useless without an endpoint.
 *
 * @param dependencies tests only: the network (DNS and dialling) and the time-out of webfetch.
 */
export function webTools(dependencies?: WebfetchDependencies): Tool[] {
  return [tool(webfetchDefinition, webfetchImplementation(dependencies)), tool(websearchDefinition, websearchImplementation())];
}

/** Names of the web tools, in registration order. */
export const WEB_TOOL_NAMES: readonly string[] = Object.freeze(['webfetch', 'websearch']);

/**
 * The web tools to offer the model: `webfetch` always; `websearch` only when a search endpoint is
 * configured (`options.search.url`, setting `moco.web.searchUrl`).
 */
export function webToolNames(options: WebOptions | undefined): string[] {
  return options?.search?.url ? ['webfetch', 'websearch'] : ['webfetch'];
}
