/**
 * The git tools of issue 6: `git_status`, `git_diff`, `git_log` (read-only) and `git_commit`
 * (asks the user each call, showing the message and the files), each implementation wrapped by
 * `guarded` (../results.ts) so that only an abort escapes it. They run git in the repository of the
 * working directory through the git core (server/src/git), never through the shell.
 */
import type { z } from 'zod';
import { guarded } from '../results';
import type { Tool, ToolDefinition, ToolImplementation } from '../types';
import { gitCommitImplementation } from './commitImpl';
import { gitCommitDefinition, gitDiffDefinition, gitLogDefinition, gitStatusDefinition } from './definitions';
import { gitDiffImplementation } from './diffImpl';
import { gitLogImplementation } from './logImpl';
import { gitStatusImplementation } from './statusImpl';

function tool<A extends z.ZodType>(definition: ToolDefinition<A>, implementation: ToolImplementation<A>): Tool<A> {
  return { definition, implementation: guarded(definition.name, implementation) };
}

/** Builds the git tools afresh, in the order of {@link GIT_TOOL_NAMES}. */
export function gitTools(): Tool[] {
  return [
    tool(gitStatusDefinition, gitStatusImplementation),
    tool(gitDiffDefinition, gitDiffImplementation),
    tool(gitLogDefinition, gitLogImplementation),
    tool(gitCommitDefinition, gitCommitImplementation),
  ];
}

/** Names of the git tools, in registration order. */
export const GIT_TOOL_NAMES: readonly string[] = Object.freeze(['git_status', 'git_diff', 'git_log', 'git_commit']);
