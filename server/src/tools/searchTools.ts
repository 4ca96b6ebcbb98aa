/**
 * Definitions of the search tools `glob_search` and `grep`, with MOCO's names and parameters.
 * Implementations: globSearchImpl.ts, grepImpl.ts.
 */
import { z } from 'zod';
import { GLOB_MAX_RESULTS, GREP_MAX_MATCHES } from './limits';
import type { ToolDefinition } from './types';

/** Arguments of `glob_search`. */
export const globSearchParameters = z.object({
  pattern: z.string().min(1).describe('Glob pattern relative to the working directory, for example "src/**/*.ts" or "**/package.json".'),
});

/** `glob_search {pattern}`. */
export const globSearchDefinition: ToolDefinition<typeof globSearchParameters> = {
  name: 'glob_search',
  description:
    'Find files of the working directory whose paths match a glob pattern (*, **, ?, {a,b}, [abc]). ' +
    `Files that .gitignore excludes, .git and node_modules are left out. Paths come back sorted, at most ${GLOB_MAX_RESULTS}.`,
  parameters: globSearchParameters,
};

/** Arguments of `grep`. */
export const grepParameters = z.object({
  pattern: z.string().min(1).describe('JavaScript regular expression to look for in each line, for example "function \\\\w+Tool" or "TODO|FIXME".'),
  path: z.string().optional().describe('File or folder to search, relative to the working directory. Default: the whole working directory.'),
});

/** `grep {pattern, path?}`. */
export const grepDefinition: ToolDefinition<typeof grepParameters> = {
  name: 'grep',
  description:
    'Search the text files under a path for lines that match a JavaScript regular expression (case-sensitive). ' +
    'Each match comes back as "file:line: text". Binary files, files that .gitignore excludes, .git and node_modules are ' +
    `skipped. At most ${GREP_MAX_MATCHES} matches.`,
  parameters: grepParameters,
};
