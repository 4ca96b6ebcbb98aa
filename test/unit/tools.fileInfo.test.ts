// file_info on a real temporary working directory: a file, a folder, symbolic links inside and
// outside it, a binary file, a missing path and a path outside.
import { chmod, mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileInfoTool } from '../../server/src/tools/fileInfo';
import type { ToolContext, ToolResult } from '../../server/src/tools/types';

let workingDir: string;
let outside: string;
let context: ToolContext;
const tool = fileInfoTool();

beforeEach(async () => {
  workingDir = await realpath(await mkdtemp(path.join(tmpdir(), 'moco-file-info-')));
  outside = await realpath(await mkdtemp(path.join(tmpdir(), 'moco-file-info-outside-')));
  context = { workingDir, runId: 'run-1', agent: 'coder', toolCallId: 'call_1', todos: { get: () => [], set: () => undefined } };
  await mkdir(path.join(workingDir, 'src', 'lib'), { recursive: true });
  await writeFile(path.join(workingDir, 'src', 'a.ts'), 'one\ntwo\nthree'); // 3 lines, no final newline
  await chmod(path.join(workingDir, 'src', 'a.ts'), 0o640);
  await writeFile(path.join(workingDir, 'src', 'b.txt'), 'x\n');
  await writeFile(path.join(workingDir, 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0, 1, 2, 3]));
  await writeFile(path.join(outside, 'secret.txt'), 'top secret\n');
  await symlink('src/a.ts', path.join(workingDir, 'link-inside'));
  await symlink(path.join(outside, 'secret.txt'), path.join(workingDir, 'link-outside'));
  await symlink('nowhere.txt', path.join(workingDir, 'dangling'));
});
afterEach(async () => {
  await rm(workingDir, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

function info(target: string): Promise<ToolResult> {
  return tool.implementation({ path: target }, context, new AbortController().signal);
}

describe('file_info', () => {
  it('describes a text file: size, lines, permissions, modification time', async () => {
    const result = await info('src/a.ts');
    expect(result.isError).toBeUndefined();
    expect(result.content).toContain('path: src/a.ts\nexists: yes\ntype: file');
    expect(result.content).toContain('size: 13 bytes (13 B)');
    expect(result.content).toContain('content: text, 3 lines');
    expect(result.content).toContain('permissions: 0640 (rw-r-----)');
    expect(result.content).toMatch(/modified: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/);
    expect(result.summary).toBe('file src/a.ts');
  });

  it('counts the entries of a folder, and the working directory itself', async () => {
    expect((await info('src')).content).toContain('type: dir\nentries: 3 entries');
    const root = await info('.');
    expect(root.content).toContain('path: .\nexists: yes\ntype: dir');
    expect(root.content).toContain('entries: 5 entries'); // src, logo.png, three links
  });

  it('says a binary file is binary, without counting lines', async () => {
    const result = await info('logo.png');
    expect(result.content).toContain('size: 16 bytes');
    expect(result.content).toContain('content: binary');
    expect(result.content).not.toContain('lines');
  });

  it('reports a symbolic link, its target and the target inside the working directory', async () => {
    const result = await info('link-inside');
    expect(result.content).toContain('type: symlink → src/a.ts (file src/a.ts');
    expect(result.content).toContain('content: text, 3 lines');
  });

  it('reports a link that leaves the working directory without examining its target', async () => {
    const result = await info('link-outside');
    expect(result.isError).toBeUndefined();
    expect(result.content).toContain('the target is outside the working directory, so it is not examined');
    expect(result.content).not.toContain('size:');
    expect(result.content).not.toContain('lines');
  });

  it('reports a dangling link and a missing path without failing', async () => {
    expect((await info('dangling')).content).toContain('type: symlink → nowhere.txt (dangling');
    const missing = await info('src/none.ts');
    expect(missing.content).toBe('path: src/none.ts\nexists: no');
    expect(missing.isError).toBeUndefined();
  });

  it('refuses paths outside the working directory, directly or through a linked folder', async () => {
    const direct = await info(path.join(outside, 'secret.txt'));
    expect(direct.isError).toBe(true);
    expect(direct.content).toContain('is outside the working directory');
    expect((await info('../x')).isError).toBe(true);
    await symlink(outside, path.join(workingDir, 'out-dir'));
    const through = await info('out-dir/secret.txt');
    expect(through.isError).toBe(true);
    expect(through.content).toContain('outside the working directory');
  });
});
