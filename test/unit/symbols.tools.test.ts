// find_definition and find_references as the model calls them: with the tree-sitter service, with
// a service whose answer carries notes, and with none.
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withNotes } from '../../server/src/symbols/locations';
import { createTreeSitterSymbolService } from '../../server/src/symbols/treeSitterSymbols';
import { searchTools } from '../../server/src/tools/search/index';
import type { SymbolQuery, SymbolService, ToolServices } from '../../server/src/tools/services';
import type { ToolContext, ToolResult } from '../../server/src/tools/types';

let workingDir: string;
const tools = searchTools();

beforeAll(async () => {
  workingDir = await realpath(await mkdtemp(path.join(tmpdir(), 'moco-symbol-tools-')));
  await mkdir(path.join(workingDir, 'lib'));
  await writeFile(path.join(workingDir, 'lib', 'parse.ts'), 'export function parseArguments(argv: string[]) {\n  return argv;\n}\n');
  await writeFile(path.join(workingDir, 'cli.ts'), "import { parseArguments } from './lib/parse';\nparseArguments(process.argv);\n");
});
afterAll(async () => {
  await rm(workingDir, { recursive: true, force: true });
});

function call(name: string, args: Record<string, unknown>, services?: ToolServices): Promise<ToolResult> {
  const tool = tools.find((candidate) => candidate.definition.name === name)!;
  const context: ToolContext = { workingDir, runId: 'run-1', agent: 'coder', toolCallId: 'call_1', todos: { get: () => [], set: () => undefined } };
  if (services) context.services = services;
  return tool.implementation(tool.definition.parameters.parse(args), context, new AbortController().signal);
}

describe('find_definition and find_references', () => {
  it('say symbol search is unavailable without a service, pointing to ripgrep', async () => {
    const result = await call('find_definition', { symbol: 'parseArguments' });
    expect(result.isError).toBe(true);
    expect(result.content).toContain('Symbol search is unavailable here');
    expect(result.content).toContain('ripgrep with pattern "\\bparseArguments\\b"');
  });

  it('list locations as path:line:column: text, naming the source', async () => {
    const symbols = createTreeSitterSymbolService(workingDir);
    const definition = await call('find_definition', { symbol: 'parseArguments' }, { symbols });
    expect(definition.content).toBe(
      `1 definition of parseArguments (from ${symbols.source}):\nlib/parse.ts:1:17: export function parseArguments(argv: string[]) { [to line 3]`,
    );
    expect(definition.summary).toBe('1 definition of parseArguments');
    const references = await call('find_references', { symbol: 'parseArguments', path: 'cli.ts', line: 2 }, { symbols });
    expect(references.content.split('\n').slice(1)).toEqual([
      "cli.ts:1:10: import { parseArguments } from './lib/parse';",
      'cli.ts:2:1: parseArguments(process.argv);',
      'lib/parse.ts:1:17: export function parseArguments(argv: string[]) {',
    ]);
  });

  it('pass the file (real path) and line to the service, and show its notes', async () => {
    const queries: SymbolQuery[] = [];
    const symbols: SymbolService = {
      source: 'a test service',
      definitions: (query) => {
        queries.push(query);
        return Promise.resolve(withNotes([], ['the language server is still indexing']));
      },
      references: () => Promise.resolve([]),
    };
    const result = await call('find_definition', { symbol: 'Parser.parseArguments', path: 'cli.ts', line: 2 }, { symbols });
    expect(queries).toEqual([{ symbol: 'parseArguments', file: path.join(workingDir, 'cli.ts'), line: 2 }]);
    expect(result.content).toContain('No definitions of parseArguments found by a test service.');
    expect(result.content).toContain('[Looked up parseArguments, the last part of Parser.parseArguments.]');
    expect(result.content).toContain('[the language server is still indexing]');
    expect(result.content).toContain('Try ripgrep with pattern');
  });

  it('refuse what is not an identifier, a folder, and a path outside the working directory', async () => {
    const symbols = createTreeSitterSymbolService(workingDir);
    expect((await call('find_references', { symbol: 'parse(argv)' }, { symbols })).content).toContain('is not an identifier');
    expect((await call('find_references', { symbol: 'x', path: 'lib' }, { symbols })).content).toContain('lib is a folder');
    expect((await call('find_references', { symbol: 'x', path: '../elsewhere.ts' }, { symbols })).content).toContain('outside the working directory');
  });
});
