/** `glob_search`: tinyglobby over the working directory, filtered by .gitignore. */
import * as path from 'node:path';
import { glob } from 'tinyglobby';
import { GitignoreMatcher } from './gitignore';
import { GLOB_MAX_RESULTS, plural } from './limits';
import { errorResult, okResult } from './results';
import type { globSearchParameters } from './searchTools';
import type { ToolImplementation } from './types';

/**
 * Implementation of `glob_search {pattern}`: matching files (dot files included, symbolic links
 * not followed), one relative path per line, sorted. A pattern that is absolute or climbs out
 * with `..` is refused, so the search stays inside the working directory.
 */
export const globSearchImplementation: ToolImplementation<typeof globSearchParameters> = async (args, context, signal) => {
  const pattern = args.pattern.replace(/^\.\//, '');
  if (path.isAbsolute(pattern) || pattern.split(/[\\/]/).includes('..')) {
    return errorResult(`pattern ${args.pattern} reaches outside the working directory ${context.workingDir}; give a pattern relative to it, without ".."`);
  }
  const found = await glob(pattern, {
    cwd: context.workingDir,
    dot: true,
    followSymbolicLinks: false,
    ignore: ['**/.git/**', '**/node_modules/**'],
    signal,
  });
  signal.throwIfAborted();
  const matcher = new GitignoreMatcher(context.workingDir);
  const verdicts = await Promise.all(found.map((file) => matcher.isIgnored(file, false)));
  const files = found.filter((_, index) => !verdicts[index]).sort();
  if (files.length === 0) {
    return okResult(`No files match ${args.pattern} (files that .gitignore excludes are not searched).`, `no files match ${args.pattern}`);
  }
  const shown = files.slice(0, GLOB_MAX_RESULTS);
  let content = shown.join('\n');
  if (files.length > shown.length) {
    content += `\n\n[Truncated: showed ${shown.length} of ${files.length} files. Use a narrower pattern, for example with a folder prefix.]`;
  }
  return okResult(content, `${plural(files.length, 'file')} match ${args.pattern}`);
};
