// git's `diff --raw -z -p` output split into exact names and the patch: renames with their score
// and both paths, names that hold a tab, a line break or a quote as they are, and the patch after
// the separator.
import { describe, expect, it } from 'vitest';
import { parseRawPatch } from '../../server/src/git/diffEntries';

describe('parseRawPatch', () => {
  it('reads each entry with its modes, status, score and exact paths, and the patch after them', () => {
    const patch = 'diff --git "a/q\\"t.txt" "b/q\\"t.txt"\nindex 587be6b..b77b4eb 100644\n';
    const output = [
      ':100644 100644 0fdf397 f9d9a01 R085',
      'sub/old.txt',
      'sub/new "n".txt',
      ':100644 100644 587be6b 0000000 M',
      'tab\tand\nbreak.txt',
      ':000000 100644 0000000 4bf845c A',
      'added.txt',
      ':120000 000000 a2b4e06 0000000 D',
      'link',
      '',
      patch,
    ].join('\0');
    expect(parseRawPatch(output)).toEqual({
      entries: [
        { status: 'R', score: 85, path: 'sub/new "n".txt', from: 'sub/old.txt', oldMode: '100644', newMode: '100644' },
        { status: 'M', path: 'tab\tand\nbreak.txt', oldMode: '100644', newMode: '100644' },
        { status: 'A', path: 'added.txt', oldMode: '000000', newMode: '100644' },
        { status: 'D', path: 'link', oldMode: '120000', newMode: '000000' },
      ],
      patch,
    });
  });

  it('gives nothing for no changes, and a plain patch as the patch', () => {
    expect(parseRawPatch('')).toEqual({ entries: [], patch: '' });
    expect(parseRawPatch('diff --git a/x b/x\n')).toEqual({ entries: [], patch: 'diff --git a/x b/x\n' });
  });
});
