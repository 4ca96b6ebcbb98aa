/** `tree`: an indented tree of a folder, folders first, without what .gitignore excludes. */
import type { treeParameters } from './dirTools';
import { openFolder } from './folderAccess';
import { GitignoreMatcher } from './gitignore';
import { plural, TREE_DEFAULT_DEPTH, TREE_MAX_ENTRIES } from './limits';
import { okResult } from './results';
import type { ToolImplementation } from './types';
import { visibleEntries } from './walk';

interface TreeState {
  workingDir: string;
  matcher: GitignoreMatcher;
  maxDepth: number;
  lines: string[];
  /** Entries drawn so far. */
  count: number;
  /** Entries left out because of the cap. */
  omitted: boolean;
  /** Folders at the depth limit that were not opened. */
  unopened: number;
  signal: AbortSignal;
}

/**
 * Implementation of `tree {path?, depth?}`. Draws with `├── `, `└── ` and `│   ` like `tree(1)`;
 * folder names end in `/`, symbolic links in `@` (never followed).
 */
export const treeImplementation: ToolImplementation<typeof treeParameters> = async (args, context, signal) => {
  const opened = await openFolder(context.workingDir, args.path ?? '.');
  if (!opened.ok) return opened.result;
  const { folder } = opened;
  const state: TreeState = {
    workingDir: context.workingDir,
    matcher: new GitignoreMatcher(context.workingDir),
    maxDepth: args.depth ?? TREE_DEFAULT_DEPTH,
    lines: [folder.display === '.' ? '.' : `${folder.display}/`],
    count: 0,
    omitted: false,
    unopened: 0,
    signal,
  };
  await drawFolder(state, folder.real, '', 1);
  const notes: string[] = [];
  if (state.omitted) {
    notes.push(`[Truncated at ${TREE_MAX_ENTRIES} entries. Call tree with a smaller depth, or with the path of a sub-folder.]`);
  }
  if (state.unopened > 0) {
    notes.push(`[${plural(state.unopened, 'folder')} at depth ${state.maxDepth} not opened; call tree with path set to one of them to see inside.]`);
  }
  const content = state.lines.join('\n') + (notes.length > 0 ? `\n\n${notes.join('\n')}` : '');
  return okResult(content, `tree of ${folder.display}: ${plural(state.count, 'entry', 'entries')}${state.omitted ? ' (truncated)' : ''}`);
};

async function drawFolder(state: TreeState, folder: string, prefix: string, depth: number): Promise<void> {
  state.signal.throwIfAborted();
  const entries = await visibleEntries(state.workingDir, folder, state.matcher).catch(() => []);
  for (const [index, entry] of entries.entries()) {
    if (state.count >= TREE_MAX_ENTRIES) {
      state.omitted = true;
      return;
    }
    const last = index === entries.length - 1;
    const suffix = entry.kind === 'dir' ? '/' : entry.kind === 'symlink' ? '@' : '';
    state.lines.push(`${prefix}${last ? '└── ' : '├── '}${entry.name}${suffix}`);
    state.count++;
    if (entry.kind !== 'dir') continue;
    if (depth < state.maxDepth) await drawFolder(state, entry.absolute, prefix + (last ? '    ' : '│   '), depth + 1);
    else state.unopened++;
  }
}
