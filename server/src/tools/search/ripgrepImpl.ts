/**
 * `ripgrep`: the `rg` of the services (VS Code's own in the editor), else the system's `rg` (the
 * CLI), else the JavaScript search; the result names the engine that ran.
 */
import { errorResult } from '../results';
import type { ToolImplementation } from '../types';
import { resolveWorkspacePath } from '../workspacePath';
import type { ripgrepParameters } from './definitions';
import { javascriptSearch } from './javascriptSearch';
import { RIPGREP_DEFAULT_RESULTS } from './limits';
import { findSystemRipgrep } from './ripgrepLocate';
import { runRipgrep } from './ripgrepRun';
import { searchResult, type SearchRequest } from './searchOutput';

/** Where the implementation finds the system's `rg` (tests replace it to force the JavaScript search). */
export interface RipgrepDependencies {
  findSystemRipgrep: () => Promise<string | undefined>;
}

/**
 * Implementation of `ripgrep {pattern, path?, glob?, case_insensitive?, fixed_strings?, context?,
 * max_results?}`. An `rg` that cannot be started (missing, not executable) is skipped with a
 * note; an invalid pattern or glob is an error result quoting ripgrep's message.
 */
export function ripgrepImplementation(dependencies: RipgrepDependencies = { findSystemRipgrep }): ToolImplementation<typeof ripgrepParameters> {
  return async (args, context, signal) => {
    const target = await resolveWorkspacePath(context.workingDir, args.path ?? '.');
    if (!target.ok) return errorResult(target.message);
    const request: SearchRequest = {
      pattern: args.pattern,
      caseInsensitive: args.case_insensitive ?? false,
      fixedStrings: args.fixed_strings ?? false,
      context: args.context ?? 0,
      maxResults: args.max_results ?? RIPGREP_DEFAULT_RESULTS,
      workingDir: context.workingDir,
      target: target.display,
    };
    if (args.glob) request.glob = args.glob;

    const skipped: string[] = [];
    const candidates = [context.services?.ripgrepPath, await dependencies.findSystemRipgrep()];
    for (const rg of new Set(candidates.filter((candidate): candidate is string => !!candidate))) {
      const run = await runRipgrep(rg, request, signal);
      if (run.ok) {
        run.outcome.notes.unshift(...skipped);
        return searchResult(request, run.outcome, `ripgrep (${rg})`);
      }
      if (run.reason === 'spawn') {
        skipped.push(`${run.message}; another engine was used.`);
        continue;
      }
      return errorResult(invalidInput(request, run.message), run.reason === 'pattern' ? 'invalid pattern' : 'ripgrep failed');
    }
    const outcome = await javascriptSearch(request, context, signal);
    if (!('lines' in outcome)) return outcome;
    outcome.notes.unshift(...skipped);
    return searchResult(request, outcome, 'the JavaScript search (slower; no ripgrep could run)');
  };
}

function invalidInput(request: SearchRequest, message: string): string {
  const quoted = message.split('\n').map((line) => `  ${line}`).join('\n');
  if (/glob/i.test(message) && request.glob) {
    return `ripgrep rejected the glob ${request.glob}:\n${quoted}\nFix the glob (for example "*.ts" or "src/**/*.py"), or leave it out.`;
  }
  if (/regex/i.test(message)) {
    return (
      `pattern ${request.pattern} is not a valid regular expression for ripgrep:\n${quoted}\n` +
      'Fix it (ripgrep uses Rust regex syntax: no look-around or back-references; escape ( [ { . * + ? with a backslash to match them literally), ' +
      'or set fixed_strings to true to search for the text as it is.'
    );
  }
  return `ripgrep failed:\n${quoted}\nCheck the arguments, or use grep.`;
}
