/**
 * The GitHub tools of issue 6: `create_pr`, its implementation wrapped by `guarded`
 * (../results.ts) so that only an abort escapes it.
 */
import { guarded } from '../results';
import type { Tool } from '../types';
import { createPrImplementation } from './createPrImpl';
import { createPrDefinition } from './definitions';

export { createPrDefinition } from './definitions';

/** The GitHub tools, built afresh. */
export function githubTools(): Tool[] {
  const createPr: Tool<typeof createPrDefinition.parameters> = { definition: createPrDefinition, implementation: guarded(createPrDefinition.name, createPrImplementation()) };
  return [createPr];
}

/** Names of the GitHub tools, in registration order. */
export const GITHUB_TOOL_NAMES: readonly string[] = Object.freeze(['create_pr']);
