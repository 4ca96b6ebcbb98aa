/**
 * Definitions of the search tools of issue 5, with MOCO's names: `ripgrep`, `find_definition` and
 * `find_references`. Implementations: ripgrepImpl.ts, symbolTools.ts.
 */
import { z } from 'zod';
import type { ToolDefinition } from '../types';
import { RIPGREP_DEFAULT_RESULTS, RIPGREP_MAX_CONTEXT, RIPGREP_MAX_RESULTS, SYMBOL_MAX_SHOWN } from './limits';

/** Arguments of `ripgrep`. */
export const ripgrepParameters = z.object({
  pattern: z.string().min(1).describe('Regular expression (Rust regex syntax, as ripgrep) to look for, for example "fn \\\\w+_test" or "TODO|FIXME". With fixed_strings, plain text.'),
  path: z.string().optional().describe('File or folder to search, relative to the working directory. Default: the whole working directory.'),
  glob: z.string().optional().describe('Only files whose path matches this glob, for example "*.ts", "src/**/*.py"; a leading ! excludes, for example "!*.test.ts".'),
  case_insensitive: z.boolean().optional().describe('Match without regard to case. Default false.'),
  fixed_strings: z.boolean().optional().describe('Treat pattern as literal text, not a regular expression. Default false.'),
  context: z.int().min(0).max(RIPGREP_MAX_CONTEXT).optional().describe(`Lines of context to show before and after each match (0–${RIPGREP_MAX_CONTEXT}). Default 0.`),
  max_results: z.int().min(1).max(RIPGREP_MAX_RESULTS).optional().describe(`Most matching lines to return (1–${RIPGREP_MAX_RESULTS}). Default ${RIPGREP_DEFAULT_RESULTS}.`),
});

/** `ripgrep {pattern, path?, glob?, case_insensitive?, fixed_strings?, context?, max_results?}`. */
export const ripgrepDefinition: ToolDefinition<typeof ripgrepParameters> = {
  name: 'ripgrep',
  description:
    'Fast search of the working directory\'s text files with ripgrep. Each matching line comes back as "path:line: text", ' +
    'grouped by file; context lines as "path-line- text". Files that .gitignore excludes, binary files, .git and node_modules ' +
    'are skipped; hidden files are searched. Use glob to pick file types, fixed_strings for literal text. ' +
    `At most ${RIPGREP_DEFAULT_RESULTS} matches unless max_results says otherwise. The result says which engine ran ` +
    '(ripgrep, or a slower JavaScript search when no ripgrep is installed).',
  parameters: ripgrepParameters,
};

const symbolParameter = z.string().min(1).describe('The identifier to look up, for example "parseArguments" or "UserService" (no dots, no parentheses).');
const pathParameter = z
  .string()
  .optional()
  .describe('A file where the symbol appears, relative to the working directory. With it the answer is precise: the symbol as used in that file.');
const lineParameter = z.int().min(1).optional().describe('1-based line of the symbol in path, to pick one occurrence when the file has several.');

/** Arguments of `find_definition` and `find_references`. */
export const symbolParameters = z.object({ symbol: symbolParameter, path: pathParameter, line: lineParameter });

/** `find_definition {symbol, path?, line?}`. */
export const findDefinitionDefinition: ToolDefinition<typeof symbolParameters> = {
  name: 'find_definition',
  description:
    'Find where a symbol (function, class, method, type, variable) is defined. In the editor the answer comes from ' +
    "VS Code's language servers (give path and line of a use of the symbol for a precise answer); elsewhere from a " +
    `syntactic tree-sitter search of TypeScript, JavaScript, Python, Go, Rust and Java files. Each location comes back as "path:line:column: text", at most ${SYMBOL_MAX_SHOWN}.`,
  parameters: symbolParameters,
};

/** `find_references {symbol, path?, line?}`. */
export const findReferencesDefinition: ToolDefinition<typeof symbolParameters> = {
  name: 'find_references',
  description:
    'Find where a symbol is used, its definition included. In the editor the answer comes from VS Code\'s language servers ' +
    '(give path and line of an occurrence for a precise answer); elsewhere from a syntactic tree-sitter search that matches the name, ' +
    `not its meaning. Each location comes back as "path:line:column: text", at most ${SYMBOL_MAX_SHOWN}.`,
  parameters: symbolParameters,
};
