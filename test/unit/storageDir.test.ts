import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureWritableDir, StorageUnavailableError } from '../../server/src/storage/storageDir';

describe('ensureWritableDir', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'moco-storage-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates missing parents and leaves no probe file behind', async () => {
    const target = path.join(dir, 'a', 'b', 'c');
    await ensureWritableDir(target);
    expect((await stat(target)).isDirectory()).toBe(true);
    expect(await readdir(target)).toEqual([]);
  });

  it('names the folder, the reason and the fix when a file stands in its place', async () => {
    const target = path.join(dir, 'storage');
    await writeFile(target, 'not a folder');
    const error = await ensureWritableDir(target).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageUnavailableError);
    const failure = error as StorageUnavailableError;
    expect(failure.storagePath).toBe(target);
    expect(failure.message).toContain(target);
    expect(failure.message).toContain('a file stands where the folder should be');
    expect(failure.message).toContain('MOCO: Restart Server');
  });

  it('fails when a parent is a file', async () => {
    await writeFile(path.join(dir, 'file'), '');
    await expect(ensureWritableDir(path.join(dir, 'file', 'child'))).rejects.toMatchObject({
      errno: 'ENOTDIR',
    });
  });

  it('rejects a relative path', async () => {
    await expect(ensureWritableDir('relative/storage')).rejects.toThrow(TypeError);
  });
});
