// Review findings move with their text: edits of the document (lines inserted or deleted above,
// an edit inside, the lines deleted, the file reloaded) and a file read afresh (the anchor found
// near, far, loosely, or gone).
import { describe, expect, it } from 'vitest';
import { linesOf, relocate, relocateFindings, textAt, trackChanges, type Anchored, type TextChange } from '../../client/src/review/tracking';

const FILE = [
  'export function total(items: number[]): number {', // 1
  '  let sum = 0;', // 2
  '  if (items.length = 0) {', // 3
  '    return 0;', // 4
  '  }', // 5
  '  for (const item of items) sum += item;', // 6
  '  return sum;', // 7
  '}', // 8
].join('\n');

interface Finding extends Anchored {
  id: string;
}

/** A finding on 1-based lines of `text`, anchored to their text. */
function finding(text: string, startLine: number, endLine = startLine): Finding {
  return { id: `f${startLine}`, startLine, endLine, anchor: textAt(linesOf(text), startLine, endLine)! };
}

function offsetOf(text: string, line: number, character: number): number {
  const lines = text.split('\n');
  return lines.slice(0, line).reduce((sum, l) => sum + l.length + 1, 0) + character;
}

/** Applies changes one after another, as VS Code's document does. */
function apply(text: string, changes: TextChange[]): string {
  return changes.reduce((current, { range, text: inserted }) => {
    const from = offsetOf(current, range.start.line, range.start.character);
    const to = offsetOf(current, range.end.line, range.end.character);
    return current.slice(0, from) + inserted + current.slice(to);
  }, text);
}

/** A change from 0-based (line, character) to (line, character). */
function change(startLine: number, startCharacter: number, endLine: number, endCharacter: number, text: string): TextChange {
  return { range: { start: { line: startLine, character: startCharacter }, end: { line: endLine, character: endCharacter } }, text };
}

/** Edits `FILE` and tracks `findings` through it; checks every kept anchor is the text at its lines. */
function edit(findings: Finding[], changes: TextChange[], text = FILE) {
  const after = apply(text, changes);
  const result = trackChanges(findings, changes, linesOf(after));
  for (const moved of result.changed) expect(moved.anchor).toBe(textAt(linesOf(after), moved.startLine, moved.endLine));
  return { ...result, after };
}

describe('tracking edits', () => {
  it('lines inserted above shift the finding down', () => {
    const bug = finding(FILE, 3);
    const { changed, dropped } = edit([bug], [change(0, 0, 0, 0, '// cart totals\n// (in cents)\n')]);
    expect(dropped).toEqual([]);
    expect(changed).toEqual([{ ...bug, startLine: 5, endLine: 5 }]);
  });

  it('lines deleted above shift the finding up', () => {
    const bug = finding(FILE, 3, 5);
    const { changed } = edit([bug], [change(1, 0, 2, 0, '')]);
    expect(changed).toEqual([{ ...bug, startLine: 2, endLine: 4 }]);
  });

  it('an edit below leaves the finding as it is', () => {
    const bug = finding(FILE, 3);
    expect(edit([bug], [change(6, 2, 6, 8, 'return ')])).toMatchObject({ changed: [], dropped: [] });
  });

  it('typing inside the finding keeps its lines and updates its anchor', () => {
    const bug = finding(FILE, 3);
    const { changed } = edit([bug], [change(2, 19, 2, 20, '===')]);
    expect(changed).toEqual([{ ...bug, anchor: '  if (items.length === 0) {' }]);
  });

  it('a line break typed inside the finding makes it one line longer', () => {
    const block = finding(FILE, 3, 5);
    const { changed } = edit([block], [change(3, 13, 3, 13, '\n    // nothing to add')]);
    expect(changed).toEqual([{ ...block, endLine: 6, anchor: '  if (items.length = 0) {\n    return 0;\n    // nothing to add\n  }' }]);
  });

  it('Enter at the end of its last line, then a new line typed, leaves the finding as it is', () => {
    const block = finding(FILE, 3, 4);
    // Enter after "    return 0;" (with the new line's indentation), then code typed on the new line.
    const entered = edit([block], [change(3, 13, 3, 13, '\n    ')]);
    expect(entered).toMatchObject({ changed: [], dropped: [] });
    const typed = edit([block], [change(4, 4, 4, 4, 'log(sum);')], entered.after);
    expect(typed).toMatchObject({ changed: [], dropped: [] });
    // Text typed at the end of the line, before a line break, is the line's own.
    const appended = edit([block], [change(3, 13, 3, 13, ' // empty\n')]);
    expect(appended.changed).toEqual([{ ...block, anchor: '  if (items.length = 0) {\n    return 0; // empty' }]);
  });

  it('a deletion from above into the finding shrinks it to what is left', () => {
    const block = finding(FILE, 3, 5);
    // Deletes from the end of line 1 to the middle of line 4 ("    return 0;" loses its indentation).
    const { changed } = edit([block], [change(0, 48, 3, 4, '')]);
    expect(changed).toEqual([{ ...block, startLine: 1, endLine: 2, anchor: 'export function total(items: number[]): number {return 0;\n  }' }]);
  });

  it('joining the line above onto the finding keeps it on the joined line', () => {
    const bug = finding(FILE, 3);
    const { changed } = edit([bug], [change(1, 14, 2, 0, ' ')]);
    expect(changed).toEqual([{ ...bug, startLine: 2, endLine: 2, anchor: '  let sum = 0;   if (items.length = 0) {' }]);
  });

  it('deleting the whole of its lines drops the finding (it is not kept collapsed)', () => {
    const block = finding(FILE, 3, 5);
    expect(edit([block], [change(2, 0, 5, 0, '')]).dropped).toEqual([block]);
    // Selected without the last line break, and replaced by other code.
    expect(edit([block], [change(2, 0, 4, 3, '  if (!items.length) return 0;')]).dropped).toEqual([block]);
  });

  it('a whole-document replacement that still holds the text (a reload from disk) moves the finding to it', () => {
    const bug = finding(FILE, 3);
    const reloaded = `// header\n\n${FILE}`;
    const { changed, dropped } = edit([bug], [change(0, 0, 7, 1, reloaded)]);
    expect(dropped).toEqual([]);
    expect(changed).toEqual([{ ...bug, startLine: 5, endLine: 5 }]);
  });

  it('a reload that replaces a block holding the text twice keeps the finding on its copy, not the block’s first', () => {
    // VS Code's reload after a change on disk sends one edit from the first to the last differing line.
    const closing = finding(FILE, 5);
    expect(closing.anchor).toBe('  }');
    const reloaded = FILE.replace('  let sum = 0;', '  let sum = 0;\n  }').replace('  return sum;', '  return sum; // total');
    const { changed, dropped } = edit([closing], [change(1, 0, 6, 13, reloaded.split('\n').slice(1, 8).join('\n'))]);
    expect(dropped).toEqual([]);
    // Line 3 of the new text is a copy of "  }"; the finding's own line is now line 6.
    expect(reloaded.split('\n')[2]).toBe('  }');
    expect(changed).toEqual([{ ...closing, startLine: 6, endLine: 6 }]);
  });

  it('several changes of one event (bottom first, as VS Code sends them) all count', () => {
    const bug = finding(FILE, 3);
    const last = finding(FILE, 7);
    const { changed } = edit([bug, last], [change(6, 0, 6, 0, '  // done\n'), change(0, 0, 0, 0, '// a\n// b\n')]);
    expect(changed).toEqual([
      { ...bug, startLine: 5, endLine: 5 },
      { ...last, startLine: 10, endLine: 10 },
    ]);
  });
});

describe('placing a review’s new findings in the editor’s text', () => {
  it('findings of the file on disk go to their lines in the unsaved editor; one whose code the user changed meanwhile is left out', () => {
    // Review Changes read the file on disk; the editor has two unsaved lines on top, and line 6 rewritten.
    const bug = finding(FILE, 3);
    const loop = finding(FILE, 6);
    const closing = finding(FILE, 8);
    const editor = `// cart\n// totals\n${FILE.replace('  for (const item of items) sum += item;', '  for (const item of items) sum += item * 2;')}`;
    const { placed, moved, dropped } = relocateFindings([bug, loop, closing], linesOf(editor));
    expect(placed).toEqual([
      { ...bug, startLine: 5, endLine: 5 },
      { ...closing, startLine: 10, endLine: 10 },
    ]);
    expect(moved).toEqual(placed);
    expect(dropped).toEqual([loop]);
  });

  it('findings the editor’s text still holds at their lines stay as they are', () => {
    const bug = finding(FILE, 3, 5);
    const { placed, moved, dropped } = relocateFindings([bug], linesOf(FILE));
    expect(placed[0]).toBe(bug);
    expect([moved, dropped]).toEqual([[], []]);
  });
});

describe('relocating a finding in a file read afresh', () => {
  it('stays where its text still is (the same object)', () => {
    const bug = finding(FILE, 3);
    expect(relocate(bug, linesOf(FILE))).toBe(bug);
  });

  it('moves to its text nearby', () => {
    const bug = finding(FILE, 3, 4);
    const moved = relocate(bug, linesOf(`/**\n * Sums a cart.\n */\n${FILE}`));
    expect(moved).toEqual({ ...bug, startLine: 6, endLine: 7 });
  });

  it('finds its text anywhere in the file, the copy nearest its old place first', () => {
    const bug = finding(FILE, 3);
    const far = [...Array.from({ length: 300 }, (_, i) => `const filler${i} = ${i};`), FILE, ...Array.from({ length: 50 }, () => ''), '  if (items.length = 0) {'].join('\n');
    // Two copies: at line 303 and at line 359; the one nearer line 3 wins.
    expect(relocate(bug, linesOf(far))).toEqual({ ...bug, startLine: 303, endLine: 303 });
    expect(relocate({ ...bug, startLine: 358, endLine: 358 }, linesOf(far))).toEqual({ ...bug, startLine: 359, endLine: 359 });
  });

  it('matches lines whose indentation changed, and takes their new text as anchor', () => {
    const bug = finding(FILE, 3, 4);
    const reindented = FILE.replace('  if (items.length = 0) {\n    return 0;', '    if (items.length = 0) {\n        return 0;');
    expect(relocate(bug, linesOf(reindented))).toEqual({ ...bug, anchor: '    if (items.length = 0) {\n        return 0;' });
  });

  it('is gone when its text is nowhere in the file, or the file is shorter and lacks it', () => {
    const bug = finding(FILE, 3);
    expect(relocate(bug, linesOf(FILE.replace('items.length = 0', 'items.length === 0')))).toBeUndefined();
    expect(relocate({ ...bug, startLine: 30, endLine: 31 }, linesOf('const a = 1;'))).toBeUndefined();
  });

  it('reads files with CRLF line breaks', () => {
    const bug = finding(FILE, 3);
    expect(relocate(bug, linesOf(`// x\r\n${FILE.replace(/\n/g, '\r\n')}`))).toEqual({ ...bug, startLine: 4, endLine: 4 });
  });
});
