/**
 * Definitions of the folder tools `list_dir` and `tree`, with MOCO's names and parameters.
 * Implementations: listDirImpl.ts, treeImpl.ts.
 */
import { z } from 'zod';
import { LIST_MAX_ENTRIES, TREE_DEFAULT_DEPTH, TREE_MAX_DEPTH, TREE_MAX_ENTRIES } from './limits';
import type { ToolDefinition } from './types';

/** Arguments of `list_dir`. */
export const listDirParameters = z.object({
  path: z.string().describe('Folder to list, relative to the working directory; "." for the working directory itself.'),
});

/** `list_dir {path}`. */
export const listDirDefinition: ToolDefinition<typeof listDirParameters> = {
  name: 'list_dir',
  description:
    'List the entries of one folder of the working directory: folders first, each with its type (dir, file, symlink) ' +
    `and, for files, its size. At most ${LIST_MAX_ENTRIES} entries.`,
  parameters: listDirParameters,
};

/** Arguments of `tree`. */
export const treeParameters = z.object({
  path: z.string().optional().describe('Folder at the top of the tree, relative to the working directory. Default: the working directory.'),
  depth: z
    .int()
    .min(1)
    .max(TREE_MAX_DEPTH)
    .optional()
    .describe(`How many levels to show (1 = only the folder's own entries). Default ${TREE_DEFAULT_DEPTH}.`),
});

/** `tree {path?, depth?}`. */
export const treeDefinition: ToolDefinition<typeof treeParameters> = {
  name: 'tree',
  description:
    'Show the folder structure under a folder of the working directory as an indented tree, folders first. ' +
    `Files that .gitignore excludes, .git and node_modules are left out. At most ${TREE_MAX_ENTRIES} entries.`,
  parameters: treeParameters,
};
