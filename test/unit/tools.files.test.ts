// read_file, write_file and edit_file on real files in a temporary working directory.
import { mkdir, mkdtemp, readdir, readFile, realpath, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBaseToolRegistry } from '../../server/src/tools/baseTools';
import { lockedFileCount } from '../../server/src/tools/fileLocks';
import type { TodoItem, ToolContext, ToolResult } from '../../server/src/tools/types';

const registry = createBaseToolRegistry();
let workingDir: string;
let context: ToolContext;

beforeEach(async () => {
  workingDir = await realpath(await mkdtemp(path.join(tmpdir(), 'moco-tools-files-')));
  let todos: TodoItem[] = [];
  context = { workingDir, runId: 'run-1', agent: 'coder', toolCallId: 'call_1', todos: { get: () => todos, set: (items) => (todos = items) } };
});
afterEach(async () => {
  await rm(workingDir, { recursive: true, force: true });
});

/** Calls a tool as the orchestrator does: argument text through parseArguments, then the implementation. */
async function call(name: string, args: Record<string, unknown>, signal = new AbortController().signal): Promise<ToolResult> {
  const parsed = registry.parseArguments(name, JSON.stringify(args));
  if (!parsed.ok) throw new Error(parsed.message);
  return registry.get(name)!.implementation(parsed.args, context, signal);
}

function lines(count: number, prefix = 'line'): string {
  return Array.from({ length: count }, (_, index) => `${prefix} ${index + 1}`).join('\n') + '\n';
}

describe('read_file', () => {
  it('returns the lines numbered, with a one-line summary', async () => {
    await mkdir(path.join(workingDir, 'src'));
    await writeFile(path.join(workingDir, 'src', 'a.ts'), 'const a = 1;\n\tindented\n');
    const result = await call('read_file', { path: 'src/a.ts' });
    expect(result.isError).toBeFalsy();
    expect(result.content).toBe('    1\tconst a = 1;\n    2\t\tindented');
    expect(result.summary).toBe('read 2 lines of src/a.ts');
  });

  it('reads from offset for limit lines and says where the file continues', async () => {
    await writeFile(path.join(workingDir, 'big.txt'), lines(50));
    const result = await call('read_file', { path: 'big.txt', offset: 10, limit: 5 });
    expect(result.content.split('\n').slice(0, 5)).toEqual(['   10\tline 10', '   11\tline 11', '   12\tline 12', '   13\tline 13', '   14\tline 14']);
    expect(result.content).toContain('the file has 50 lines');
    expect(result.content).toContain('offset 15');
    expect(result.summary).toBe('read lines 10–14 of big.txt');
  });

  it('stops at 2000 lines with a note that tells how to read the rest', async () => {
    await writeFile(path.join(workingDir, 'long.txt'), lines(2500));
    const result = await call('read_file', { path: 'long.txt' });
    const shown = result.content.split('\n').filter((line) => /^\s*\d+\t/.test(line));
    expect(shown).toHaveLength(2000);
    expect(shown.at(-1)).toBe(' 2000\tline 2000');
    expect(result.content).toContain('Output truncated at 2000 lines');
    expect(result.content).toContain('the file has 2500 lines');
    expect(result.content).toContain('offset 2001');
    const rest = await call('read_file', { path: 'long.txt', offset: 2001 });
    expect(rest.content.split('\n')).toHaveLength(500);
    expect(rest.content.endsWith(' 2500\tline 2500')).toBe(true);
  });

  it('stops at 256 KiB of output with a note', async () => {
    await writeFile(path.join(workingDir, 'wide.txt'), lines(1000, 'x'.repeat(1000)));
    const result = await call('read_file', { path: 'wide.txt' });
    expect(Buffer.byteLength(result.content)).toBeLessThanOrEqual(256 * 1024 + 400);
    expect(result.content).toContain('Output truncated at 256 KiB');
    expect(result.content).toMatch(/offset \d+/);
  });

  it('cuts a very long line and says how long it was', async () => {
    await writeFile(path.join(workingDir, 'min.js'), 'a'.repeat(5000));
    const result = await call('read_file', { path: 'min.js' });
    expect(result.content).toContain('[line cut: 5000 characters]');
    expect(result.content.length).toBeLessThan(2100);
  });

  it('refuses an offset past the end, giving the valid range', async () => {
    await writeFile(path.join(workingDir, 'short.txt'), lines(3));
    const result = await call('read_file', { path: 'short.txt', offset: 10 });
    expect(result.isError).toBe(true);
    expect(result.content).toContain('has 3 lines; use an offset from 1 to 3');
  });

  it('refuses a binary file and a folder', async () => {
    await writeFile(path.join(workingDir, 'image.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 0, 1, 2, 3, 0, 0, 0, 0]));
    const binary = await call('read_file', { path: 'image.png' });
    expect(binary.isError).toBe(true);
    expect(binary.content).toContain('image.png is a binary file');
    await mkdir(path.join(workingDir, 'src'));
    const folder = await call('read_file', { path: 'src' });
    expect(folder.isError).toBe(true);
    expect(folder.content).toContain('use list_dir or tree');
  });

  it('reports a missing file with what to do', async () => {
    const result = await call('read_file', { path: 'nope.txt' });
    expect(result.isError).toBe(true);
    expect(result.content).toBe('nope.txt does not exist; check the path with list_dir or glob_search');
  });

  it('throws the abort reason when the signal has aborted', async () => {
    await writeFile(path.join(workingDir, 'a.txt'), 'a\n');
    const controller = new AbortController();
    controller.abort();
    await expect(call('read_file', { path: 'a.txt' }, controller.signal)).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('write_file', () => {
  it('creates the file and its parent folders, atomically, leaving no temporary file', async () => {
    const content = 'export const b = 2;\n'.repeat(100);
    const result = await call('write_file', { path: 'src/deep/b.ts', content });
    expect(result.isError).toBeFalsy();
    expect(result.summary).toBe('wrote 2.0 KiB to src/deep/b.ts');
    expect(result.content).toContain('Created src/deep/b.ts: 100 lines');
    expect(await readFile(path.join(workingDir, 'src/deep/b.ts'), 'utf8')).toBe(content);
    expect(await readdir(path.join(workingDir, 'src/deep'))).toEqual(['b.ts']);
  });

  it('replaces an existing file and keeps its mode', async () => {
    const file = path.join(workingDir, 'run.sh');
    await writeFile(file, 'old', { mode: 0o755 });
    const result = await call('write_file', { path: 'run.sh', content: '#!/bin/sh\necho new\n' });
    expect(result.content).toContain('Replaced the content of run.sh');
    expect(await readFile(file, 'utf8')).toBe('#!/bin/sh\necho new\n');
    expect((await stat(file)).mode & 0o777).toBe(0o755);
    expect(await readdir(workingDir)).toEqual(['run.sh']);
  });

  it('refuses content over 1 MiB and writes nothing', async () => {
    const result = await call('write_file', { path: 'huge.txt', content: 'x'.repeat(1024 * 1024 + 1) });
    expect(result.isError).toBe(true);
    expect(result.content).toContain('content is 1.0 MiB, more than write_file accepts (1.0 MiB)');
    expect(await readdir(workingDir)).toEqual([]);
  });

  it('refuses to write over a folder', async () => {
    await mkdir(path.join(workingDir, 'src'));
    const result = await call('write_file', { path: 'src', content: 'x' });
    expect(result.isError).toBe(true);
    expect(result.content).toContain('src is a folder');
  });

  it('reports a parent that is a file as an error result, not a throw', async () => {
    await writeFile(path.join(workingDir, 'file.txt'), 'x');
    const result = await call('write_file', { path: 'file.txt/child.txt', content: 'y' });
    expect(result.isError).toBe(true);
    expect(result.content).toContain('write_file failed');
    expect(await readFile(path.join(workingDir, 'file.txt'), 'utf8')).toBe('x');
  });
});

describe('edit_file', () => {
  const source = 'function a() {\n  return 1;\n}\n\nfunction b() {\n  return 1;\n}\n';

  it('replaces one exact occurrence and shows the edited lines', async () => {
    await writeFile(path.join(workingDir, 'a.js'), source);
    const result = await call('edit_file', { path: 'a.js', old_string: 'function b() {\n  return 1;', new_string: 'function b() {\n  return 2;' });
    expect(result.isError).toBeFalsy();
    expect(result.summary).toBe('edited a.js (1 replacement)');
    expect(result.content).toContain('    6\t  return 2;');
    expect(await readFile(path.join(workingDir, 'a.js'), 'utf8')).toBe(source.replace('function b() {\n  return 1;', 'function b() {\n  return 2;'));
    expect(await readdir(workingDir)).toEqual(['a.js']);
  });

  it('refuses an ambiguous match, saying how many and what to do, and leaves the file alone', async () => {
    await writeFile(path.join(workingDir, 'a.js'), source);
    const result = await call('edit_file', { path: 'a.js', old_string: 'return 1;', new_string: 'return 3;' });
    expect(result.isError).toBe(true);
    expect(result.content).toContain('old_string occurs 2 times in a.js');
    expect(result.content).toContain('set replace_all to true');
    expect(await readFile(path.join(workingDir, 'a.js'), 'utf8')).toBe(source);
  });

  it('replaces every occurrence with replace_all', async () => {
    await writeFile(path.join(workingDir, 'a.js'), source);
    const result = await call('edit_file', { path: 'a.js', old_string: 'return 1;', new_string: 'return $&;', replace_all: true });
    expect(result.summary).toBe('edited a.js (2 replacements)');
    expect(await readFile(path.join(workingDir, 'a.js'), 'utf8')).toBe(source.replaceAll('return 1;', () => 'return $&;'));
  });

  it('reports text that is not found, with what to do', async () => {
    await writeFile(path.join(workingDir, 'a.js'), source);
    const result = await call('edit_file', { path: 'a.js', old_string: 'return 42;', new_string: 'x' });
    expect(result.isError).toBe(true);
    expect(result.content).toContain('old_string was not found in a.js; read the file again with read_file');
  });

  it('matches text written with \\n in a file with \\r\\n line ends, and keeps them', async () => {
    await writeFile(path.join(workingDir, 'win.txt'), 'one\r\ntwo\r\nthree\r\n');
    const result = await call('edit_file', { path: 'win.txt', old_string: 'one\ntwo', new_string: 'one\n2' });
    expect(result.isError).toBeFalsy();
    expect(await readFile(path.join(workingDir, 'win.txt'), 'utf8')).toBe('one\r\n2\r\nthree\r\n');
  });

  it('refuses an empty old_string and a binary file', async () => {
    await writeFile(path.join(workingDir, 'a.js'), source);
    const empty = await call('edit_file', { path: 'a.js', old_string: '', new_string: 'x' });
    expect(empty.isError).toBe(true);
    expect(empty.content).toContain('old_string is empty');
    await writeFile(path.join(workingDir, 'data.bin'), Buffer.from([0, 1, 2, 3, 0, 0, 255, 254, 0, 0]));
    const binary = await call('edit_file', { path: 'data.bin', old_string: 'a', new_string: 'b' });
    expect(binary.isError).toBe(true);
    expect(binary.content).toContain('data.bin is a binary file');
  });
});

describe('edit_file and write_file from agents running in parallel', () => {
  it('applies every edit when twenty agents edit one file at once, and keeps no lock afterwards', async () => {
    await writeFile(path.join(workingDir, 'shared.ts'), lines(20, 'value'));
    // Each old_string ends with its newline, so `value 1\n` is not found in `value 11\n`.
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, index) => call('edit_file', { path: 'shared.ts', old_string: `value ${index + 1}\n`, new_string: `fixed ${index + 1}\n` })),
    );
    expect(results.filter((result) => result.isError).map((result) => result.content)).toEqual([]);
    expect(await readFile(path.join(workingDir, 'shared.ts'), 'utf8')).toBe(lines(20, 'fixed'));
    expect(lockedFileCount()).toBe(0);
  });

  it('a write_file and an edit of one file take turns: the edit never writes back the content it read before the write', async () => {
    await writeFile(path.join(workingDir, 'race.ts'), 'const a = 1;\n');
    const [edit, write] = await Promise.all([
      call('edit_file', { path: 'race.ts', old_string: 'const a = 1;', new_string: 'const a = 2;' }),
      call('write_file', { path: 'race.ts', content: 'export {};\n' }),
    ]);
    expect(write.isError).toBeFalsy();
    // Whichever came first, the file ends with the write's content: the edit ran before it, or
    // after it and found its old text gone.
    if (edit.isError) expect(edit.content).toContain('old_string was not found in race.ts');
    expect(await readFile(path.join(workingDir, 'race.ts'), 'utf8')).toBe('export {};\n');
  });
});
