// Every path argument stays inside the working directory: `..`, absolute paths elsewhere and
// symbolic links that point outside are refused by every tool that takes a path.
import { mkdir, mkdtemp, readdir, readFile, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBaseToolRegistry } from '../../server/src/tools/baseTools';
import type { ToolContext, ToolResult } from '../../server/src/tools/types';
import { resolveWorkspacePath } from '../../server/src/tools/workspacePath';

const registry = createBaseToolRegistry();
let root: string;
let workingDir: string;
let outside: string;
let context: ToolContext;

beforeEach(async () => {
  // root/ws is the working directory; root/outside holds a secret next to it.
  root = await realpath(await mkdtemp(path.join(tmpdir(), 'moco-tools-confine-')));
  workingDir = path.join(root, 'ws');
  outside = path.join(root, 'outside');
  await mkdir(path.join(workingDir, 'src'), { recursive: true });
  await mkdir(outside);
  await writeFile(path.join(outside, 'secret.txt'), 'TOP SECRET\n');
  await writeFile(path.join(workingDir, 'src', 'a.ts'), 'export const a = 1;\n');
  context = { workingDir, runId: 'run-1', agent: 'coder', toolCallId: 'call_1', todos: { get: () => [], set: () => undefined } };
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function call(name: string, args: Record<string, unknown>): Promise<ToolResult> {
  const parsed = registry.parseArguments(name, JSON.stringify(args));
  if (!parsed.ok) throw new Error(parsed.message);
  return registry.get(name)!.implementation(parsed.args, context, new AbortController().signal);
}

/** One call per path-taking tool, with `target` as its path. */
function callsWithPath(target: string): [string, Record<string, unknown>][] {
  return [
    ['read_file', { path: target }],
    ['write_file', { path: target, content: 'pwned' }],
    ['edit_file', { path: target, old_string: 'TOP', new_string: 'pwned' }],
    ['list_dir', { path: target }],
    ['tree', { path: target }],
    ['grep', { pattern: 'SECRET', path: target }],
  ];
}

async function expectOutsideUntouched(): Promise<void> {
  expect(await readFile(path.join(outside, 'secret.txt'), 'utf8')).toBe('TOP SECRET\n');
  expect(await readdir(outside)).toEqual(['secret.txt']);
}

describe('confinement to the working directory', () => {
  it('refuses ../ paths in every tool, saying the path is outside and what to do', async () => {
    for (const [name, args] of [...callsWithPath('../outside/secret.txt'), ...callsWithPath('../outside')]) {
      const result = await call(name, args);
      expect(result.isError, name).toBe(true);
      expect(result.content, name).toBe(`path ${String(args.path)} is outside the working directory ${workingDir}; use a path inside it`);
      expect(result.content).not.toContain('TOP SECRET');
    }
    const sneaky = await call('read_file', { path: 'src/../../outside/secret.txt' });
    expect(sneaky.isError).toBe(true);
    await expectOutsideUntouched();
  });

  it('refuses absolute paths elsewhere but accepts absolute paths inside', async () => {
    for (const [name, args] of callsWithPath(path.join(outside, 'secret.txt'))) {
      const result = await call(name, args);
      expect(result.isError, name).toBe(true);
      expect(result.content, name).toContain('is outside the working directory');
    }
    const inside = await call('read_file', { path: path.join(workingDir, 'src', 'a.ts') });
    expect(inside.isError).toBeFalsy();
    expect(inside.content).toContain('export const a = 1;');
    await expectOutsideUntouched();
  });

  it('refuses a symbolic link to a file outside, in every tool', async () => {
    await symlink(path.join(outside, 'secret.txt'), path.join(workingDir, 'link.txt'));
    for (const [name, args] of callsWithPath('link.txt')) {
      const result = await call(name, args);
      expect(result.isError, name).toBe(true);
      expect(result.content, name).toContain(`resolves through a symbolic link to ${path.join(outside, 'secret.txt')}, outside the working directory`);
    }
    await expectOutsideUntouched();
  });

  it('refuses a symbolic link to a folder outside (like /etc), and new files through it', async () => {
    await symlink(outside, path.join(workingDir, 'etc'));
    for (const [name, args] of [...callsWithPath('etc'), ...callsWithPath('etc/secret.txt')]) {
      const result = await call(name, args);
      expect(result.isError, `${name} ${String(args.path)}`).toBe(true);
      expect(result.content).toContain('outside the working directory');
    }
    const created = await call('write_file', { path: 'etc/new/file.txt', content: 'x' });
    expect(created.isError).toBe(true);
    expect(created.content).toContain('outside the working directory');
    await expectOutsideUntouched();
  });

  it('does not follow links to outside while searching the working directory', async () => {
    await symlink(outside, path.join(workingDir, 'etc'));
    await symlink(path.join(outside, 'secret.txt'), path.join(workingDir, 'link.txt'));
    const grep = await call('grep', { pattern: 'SECRET' });
    expect(grep.content).toContain('No lines match');
    const glob = await call('glob_search', { pattern: '**/*.txt' });
    expect(glob.content).not.toContain('secret.txt');
    const tree = await call('tree', {});
    expect(tree.content).toContain('etc@');
    expect(tree.content).not.toContain('secret.txt');
  });

  it('refuses glob patterns that climb out or are absolute', async () => {
    for (const pattern of ['../outside/*', '../**/*.txt', `${outside}/*`]) {
      const result = await call('glob_search', { pattern });
      expect(result.isError, pattern).toBe(true);
      expect(result.content).toContain('reaches outside the working directory');
    }
  });

  it('refuses a link whose target is missing instead of writing through it', async () => {
    await symlink(path.join(outside, 'not-yet.txt'), path.join(workingDir, 'dangling.txt'));
    const result = await call('write_file', { path: 'dangling.txt', content: 'x' });
    expect(result.isError).toBe(true);
    expect(result.content).toContain('symbolic link dangling.txt, whose target does not exist');
    expect(await readdir(outside)).toEqual(['secret.txt']);
  });

  it('follows links that stay inside the working directory', async () => {
    await symlink(path.join(workingDir, 'src'), path.join(workingDir, 'source'));
    const read = await call('read_file', { path: 'source/a.ts' });
    expect(read.isError).toBeFalsy();
    expect(read.summary).toBe('read 1 line of source/a.ts');
    const write = await call('write_file', { path: 'source/b.ts', content: 'b' });
    expect(write.isError).toBeFalsy();
    expect(await readFile(path.join(workingDir, 'src', 'b.ts'), 'utf8')).toBe('b');
  });

  it('resolves a missing target to the real path of its nearest existing ancestor', async () => {
    const resolved = await resolveWorkspacePath(workingDir, 'src/new/deeper/file.ts', { allowMissing: true });
    expect(resolved).toMatchObject({ ok: true, exists: false, display: 'src/new/deeper/file.ts', real: path.join(workingDir, 'src', 'new', 'deeper', 'file.ts') });
    expect(await resolveWorkspacePath(workingDir, '.')).toMatchObject({ ok: true, exists: true, display: '.' });
  });
});
