// list_dir, tree, glob_search and grep on a real temporary working directory with a .gitignore.
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBaseToolRegistry } from '../../server/src/tools/baseTools';
import type { ToolContext, ToolResult } from '../../server/src/tools/types';

const registry = createBaseToolRegistry();
let workingDir: string;
let context: ToolContext;

/** Writes `files` (relative path → content) under the working directory. */
async function layout(files: Record<string, string | Buffer>): Promise<void> {
  for (const [relative, content] of Object.entries(files)) {
    const file = path.join(workingDir, relative);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, content);
  }
}

beforeEach(async () => {
  workingDir = await realpath(await mkdtemp(path.join(tmpdir(), 'moco-tools-search-')));
  context = { workingDir, runId: 'run-1', agent: 'coder', toolCallId: 'call_1', todos: { get: () => [], set: () => undefined } };
  await layout({
    '.gitignore': 'dist/\n*.log\n!keep.log\n',
    'package.json': '{ "name": "demo" }\n',
    'src/index.ts': 'import { helper } from "./lib/helper";\n// TODO: wire\nexport const main = () => helper();\n',
    'src/lib/helper.ts': 'export function helper() {\n  return 42; // TODO: real value\n}\n',
    'src/lib/.gitignore': 'generated.ts\n',
    'src/lib/generated.ts': '// TODO: generated, ignored\n',
    'dist/index.js': '// TODO: built, ignored\n',
    'debug.log': 'TODO in a log, ignored\n',
    'keep.log': 'TODO kept by a negated rule\n',
    'node_modules/dep/index.js': '// TODO: dependency\n',
    '.git/HEAD': 'ref: refs/heads/main TODO\n',
    'assets/logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 0x54, 0x4f, 0x44, 0x4f, 0, 0]),
  });
});
afterEach(async () => {
  await rm(workingDir, { recursive: true, force: true });
});

async function call(name: string, args: Record<string, unknown>): Promise<ToolResult> {
  const parsed = registry.parseArguments(name, JSON.stringify(args));
  if (!parsed.ok) throw new Error(parsed.message);
  return registry.get(name)!.implementation(parsed.args, context, new AbortController().signal);
}

describe('list_dir', () => {
  it('lists folders first, with type and size', async () => {
    const result = await call('list_dir', { path: '.' });
    const entries = result.content.split('\n').slice(1);
    expect(entries.map((line) => line.trim().split(/\s+/).at(-1))).toEqual([
      '.git/', 'assets/', 'dist/', 'node_modules/', 'src/', '.gitignore', 'debug.log', 'keep.log', 'package.json',
    ]);
    expect(result.content).toMatch(/^file\s+19 B {2}package\.json$/m);
    expect(result.content).toMatch(/^dir\s+- {2}src\/$/m);
    expect(result.summary).toBe('listed 9 entries in .');
  });

  it('caps at 1000 entries with a note', async () => {
    await layout(Object.fromEntries(Array.from({ length: 1005 }, (_, index) => [`many/f${String(index).padStart(4, '0')}.txt`, 'x'])));
    const result = await call('list_dir', { path: 'many' });
    expect(result.content.split('\n').filter((line) => line.startsWith('file'))).toHaveLength(1000);
    expect(result.content).toContain('[Truncated: showed 1000 of 1005 entries.');
    expect(result.summary).toBe('listed 1005 entries in many');
  });

  it('refuses a file, pointing to read_file', async () => {
    const result = await call('list_dir', { path: 'package.json' });
    expect(result.isError).toBe(true);
    expect(result.content).toContain('package.json is a file, not a folder; use read_file');
  });
});

describe('tree', () => {
  it('draws the folders with .gitignore, .git and node_modules left out', async () => {
    const result = await call('tree', {});
    expect(result.content).toBe(
      ['.', '├── assets/', '│   └── logo.png', '├── src/', '│   ├── lib/', '│   │   ├── .gitignore', '│   │   └── helper.ts', '│   └── index.ts', '├── .gitignore', '├── keep.log', '└── package.json'].join('\n'),
    );
    expect(result.summary).toBe('tree of .: 10 entries');
  });

  it('stops at the depth asked for and says which folders were not opened', async () => {
    const result = await call('tree', { path: 'src', depth: 1 });
    expect(result.content.split('\n\n')[0]).toBe(['src/', '├── lib/', '└── index.ts'].join('\n'));
    expect(result.content).toContain('1 folder at depth 1 not opened; call tree with path set to one of them');
  });

  it('caps the entries with a note', async () => {
    await layout(Object.fromEntries(Array.from({ length: 600 }, (_, index) => [`many/f${index}.txt`, 'x'])));
    const result = await call('tree', { path: 'many' });
    expect(result.content.split('\n').filter((line) => line.includes('── '))).toHaveLength(500);
    expect(result.content).toContain('[Truncated at 500 entries.');
    expect(result.summary).toBe('tree of many: 500 entries (truncated)');
  });
});

describe('glob_search', () => {
  it('finds files, sorted, without ignored ones, .git or node_modules', async () => {
    const result = await call('glob_search', { pattern: '**/*.{ts,js,log}' });
    expect(result.content.split('\n')).toEqual(['keep.log', 'src/index.ts', 'src/lib/helper.ts']);
    expect(result.summary).toBe('3 files match **/*.{ts,js,log}');
  });

  it('includes dot files and says so when nothing matches', async () => {
    expect((await call('glob_search', { pattern: '**/.gitignore' })).content.split('\n')).toEqual(['.gitignore', 'src/lib/.gitignore']);
    const none = await call('glob_search', { pattern: '**/*.rs' });
    expect(none.isError).toBeFalsy();
    expect(none.content).toContain('No files match **/*.rs');
  });

  it('caps at 1000 results with a note', async () => {
    await layout(Object.fromEntries(Array.from({ length: 1003 }, (_, index) => [`many/f${index}.md`, 'x'])));
    const result = await call('glob_search', { pattern: 'many/*.md' });
    expect(result.content.split('\n').filter((line) => line.startsWith('many/'))).toHaveLength(1000);
    expect(result.content).toContain('[Truncated: showed 1000 of 1003 files.');
  });
});

describe('grep', () => {
  it('finds matching lines as file:line: text, skipping ignored and binary files', async () => {
    const result = await call('grep', { pattern: 'TODO' });
    expect(result.content.split('\n')).toEqual(['src/lib/helper.ts:2:   return 42; // TODO: real value', 'src/index.ts:2: // TODO: wire', 'keep.log:1: TODO kept by a negated rule']);
    expect(result.summary).toBe('3 matches in 3 files');
  });

  it('searches only under the given path, file or folder', async () => {
    expect((await call('grep', { pattern: 'helper', path: 'src/lib' })).content).toBe('src/lib/helper.ts:1: export function helper() {');
    const inFile = await call('grep', { pattern: 'helper\\(\\)', path: 'src/index.ts' });
    expect(inFile.content).toBe('src/index.ts:3: export const main = () => helper();');
    expect(inFile.summary).toBe('1 match in 1 file');
  });

  it('reports no matches without an error', async () => {
    const result = await call('grep', { pattern: 'nothing-like-this' });
    expect(result.isError).toBeFalsy();
    expect(result.content).toBe('No lines match /nothing-like-this/ in ..');
    expect(result.summary).toBe('no matches');
  });

  it('turns an invalid regular expression into an error result that says how to fix it', async () => {
    const result = await call('grep', { pattern: 'helper(' });
    expect(result.isError).toBe(true);
    expect(result.content).toContain('pattern helper( is not a valid JavaScript regular expression');
    expect(result.content).toContain('escape characters such as ( [ { . * + ? with a backslash');
  });

  it('caps at 500 matches with a note', async () => {
    await layout({ 'many.txt': Array.from({ length: 700 }, (_, index) => `match ${index}`).join('\n') });
    const result = await call('grep', { pattern: '^match', path: 'many.txt' });
    expect(result.content.split('\n').filter((line) => line.startsWith('many.txt:'))).toHaveLength(500);
    expect(result.content).toContain('[Stopped at 500 matches; more exist.');
    expect(result.summary).toBe('more than 500 matches in 1 file');
  });

  it('refuses an explicitly named binary file', async () => {
    const result = await call('grep', { pattern: 'TODO', path: 'assets/logo.png' });
    expect(result.isError).toBe(true);
    expect(result.content).toContain('assets/logo.png is a binary file');
  });
});
