// Where a review finding's file is: its workspace folder by URI (never another folder of the same
// name, nor the first folder when its own is gone), a path that cannot leave the folder, and what
// renaming or deleting files and directories does to the findings in them.
import { describe, expect, it } from 'vitest';
import { deletedFindings, fileSegments, folderWithUri, renamedFindings } from '../../client/src/review/places';

/** A workspace folder as `vscode.workspace.workspaceFolders` lists it (its `uri` a `vscode.Uri`). */
function folder(name: string, path: string, index: number): { name: string; index: number; uri: { path: string; toString(): string } } {
  return { name, index, uri: { path, toString: () => `file://${path}` } };
}

const work = folder('app', '/home/u/work/app', 0);
const old = folder('app', '/home/u/old/app', 1);
const other = folder('other', '/home/u/other', 0);

describe('the workspace folder of a finding', () => {
  it('is the folder with its URI, even when another folder has the same name', () => {
    // Reviewed in the second "app": Apply Suggestion and Fix with Agent act there, not in the first.
    expect(folderWithUri('file:///home/u/old/app', [work, old])).toBe(old);
    expect(folderWithUri('file:///home/u/work/app', [work, old])).toBe(work);
  });

  it('stays the same folder when the folders are reordered', () => {
    expect(folderWithUri('file:///home/u/old/app', [{ ...old, index: 0 }, { ...work, index: 1 }])?.uri.path).toBe('/home/u/old/app');
  });

  it('is none when its folder is not open: never the first folder instead', () => {
    expect(folderWithUri('file:///home/u/old/app', [other])).toBeUndefined();
    expect(folderWithUri(undefined, [other])).toBeUndefined();
    expect(folderWithUri('file:///home/u/old/app', [])).toBeUndefined();
  });
});

describe('the path of a finding', () => {
  it('is split at / into the segments joined to its folder', () => {
    expect(fileSegments('src/cart.ts')).toEqual(['src', 'cart.ts']);
    expect(fileSegments('a file with spaces.ts')).toEqual(['a file with spaces.ts']);
    // A name holding \ on Linux (git allows it) stays one segment.
    expect(fileSegments('weird\\name.ts')).toEqual(['weird\\name.ts']);
    expect(fileSegments('.github/workflows/ci.yml')).toEqual(['.github', 'workflows', 'ci.yml']);
  });

  it('is refused when it is absolute or leaves the folder (the store is read back from disk)', () => {
    for (const file of ['../../etc/passwd', 'src/../../x.ts', '/etc/passwd', '//server/share/x', 'C:/Windows/x.ts', 'c:x.ts', 'src\\..\\..\\x.ts', '..', './src/a.ts', 'src//a.ts', '']) {
      expect({ file, segments: fileSegments(file) }).toEqual({ file, segments: undefined });
    }
  });
});

describe('renamed and deleted files', () => {
  const WEB = 'file:///home/u/web';
  const API = 'file:///home/u/api';
  const findings = [
    { id: 'a', folder: WEB, file: 'src/cart.ts' },
    { id: 'b', folder: WEB, file: 'src/cart.tsx' },
    { id: 'c', folder: WEB, file: 'src/lib/sum.ts' },
    { id: 'd', folder: API, file: 'src/cart.ts' },
  ];

  it('a renamed file takes its findings to its new path, and to its new folder', () => {
    expect(renamedFindings(findings, { folder: WEB, file: 'src/cart.ts' }, { folder: WEB, file: 'src/basket.ts' })).toEqual({
      changed: [{ id: 'a', folder: WEB, file: 'src/basket.ts' }],
      removed: [],
    });
    expect(renamedFindings(findings, { folder: WEB, file: 'src/cart.ts' }, { folder: API, file: 'cart.ts' }).changed).toEqual([{ id: 'a', folder: API, file: 'cart.ts' }]);
  });

  it('a renamed directory takes the findings of every file under it', () => {
    expect(renamedFindings(findings, { folder: WEB, file: 'src' }, { folder: WEB, file: 'lib/src' }).changed).toEqual([
      { id: 'a', folder: WEB, file: 'lib/src/cart.ts' },
      { id: 'b', folder: WEB, file: 'lib/src/cart.tsx' },
      { id: 'c', folder: WEB, file: 'lib/src/lib/sum.ts' },
    ]);
  });

  it('a file moved out of the workspace loses its findings', () => {
    expect(renamedFindings(findings, { folder: WEB, file: 'src/lib' }, undefined)).toEqual({ changed: [], removed: [findings[2]] });
  });

  it('a deleted file or directory loses its findings, and only its own', () => {
    expect(deletedFindings(findings, { folder: WEB, file: 'src/cart.ts' })).toEqual([findings[0]]);
    expect(deletedFindings(findings, { folder: WEB, file: 'src' }).map((f) => f.id)).toEqual(['a', 'b', 'c']);
    expect(deletedFindings(findings, { folder: API, file: 'src/cart' })).toEqual([]);
  });
});
