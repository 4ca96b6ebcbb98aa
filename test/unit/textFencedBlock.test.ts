// A model's answer wrapped whole in one code fence (commit messages, pull request text, review
// suggestions): read with marked's lexer, CommonMark's rules.
import { describe, expect, it } from 'vitest';
import { wholeFencedBlock } from '../../server/src/text/fencedBlock';

describe('an answer wrapped in one code fence', () => {
  it('gives the lines between the fences, whatever the fence and its info string', () => {
    expect(wholeFencedBlock('```\nAdd the panel\n\nIt was missing.\n```')).toBe('Add the panel\n\nIt was missing.');
    expect(wholeFencedBlock('\n```text\nfix: close it\n```\n')).toBe('fix: close it');
    expect(wholeFencedBlock('~~~~markdown\n```js\nx\n```\n~~~~')).toBe('```js\nx\n```');
    expect(wholeFencedBlock('```\n```')).toBe('');
    expect(wholeFencedBlock('  ```ts\n  return total;\n  ```')).toBe('  return total;');
  });

  it('is not a wrapper when the fence is not closed, is shorter, has text around it, or the block is indented', () => {
    expect(wholeFencedBlock('```\nfoo')).toBeUndefined();
    expect(wholeFencedBlock('````\nfoo\n```')).toBeUndefined();
    expect(wholeFencedBlock('```')).toBeUndefined();
    expect(wholeFencedBlock('Here it is:\n```\nfoo\n```')).toBeUndefined();
    expect(wholeFencedBlock('```\nfoo\n```\nand more')).toBeUndefined();
    expect(wholeFencedBlock('    return total;')).toBeUndefined();
    expect(wholeFencedBlock('plain text')).toBeUndefined();
  });
});
