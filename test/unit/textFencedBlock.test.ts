// A model's answer wrapped whole in one code fence (commit messages, pull request text, review
// suggestions): the wrapper comes off, inner fences and an indented closing fence included.
import { describe, expect, it } from 'vitest';
import { wholeFencedBlock } from '../../server/src/text/fencedBlock';

describe('an answer wrapped in one code fence', () => {
  it('gives the lines between the fences, whatever the fence and its info string', () => {
    expect(wholeFencedBlock('```\nAdd the panel\n\nIt was missing.\n```')).toBe('Add the panel\n\nIt was missing.');
    expect(wholeFencedBlock('\n```text\nfix: close it\n```\n')).toBe('fix: close it');
    expect(wholeFencedBlock('~~~~markdown\n```js\nx\n```\n~~~~')).toBe('```js\nx\n```');
    expect(wholeFencedBlock('```\n```')).toBe('');
    expect(wholeFencedBlock('  ```ts\n  return total;\n  ```')).toBe('  return total;');
    expect(wholeFencedBlock('```\r\nfix: x\r\n```\r\n')).toBe('fix: x');
  });

  it('keeps inner fences of the same length, and takes an indented closing fence as the end (not as code)', () => {
    const body = 'Add login\n\n## Usage\n\n```bash\nnpm run login\n```\n\nDone.';
    expect(wholeFencedBlock(`\`\`\`markdown\n${body}\n\`\`\``)).toBe(body);
    expect(wholeFencedBlock('```python\n    return x\n    ```')).toBe('    return x');
    expect(wholeFencedBlock('    ```\n    x\n    ```')).toBe('    x');
    expect(wholeFencedBlock('```\n\tx\n\t```')).toBe('\tx');
  });

  it('reads only the first and last lines: a deep quote does not overflow the stack', () => {
    expect(wholeFencedBlock(`\`\`\`\n${'>'.repeat(100_000)}\n\`\`\``)).toBe('>'.repeat(100_000));
    expect(wholeFencedBlock(`\`\`\`\nfeat: x\n\`\`\`\n${'>'.repeat(3000)}`)).toBeUndefined();
  });

  it('is not a wrapper when the fence is not closed, is shorter, has text around it, or is one line', () => {
    expect(wholeFencedBlock('```\nfoo')).toBeUndefined();
    expect(wholeFencedBlock('````\nfoo\n```')).toBeUndefined();
    expect(wholeFencedBlock('```')).toBeUndefined();
    expect(wholeFencedBlock('Here it is:\n```\nfoo\n```')).toBeUndefined();
    expect(wholeFencedBlock('```\nfoo\n```\nand more')).toBeUndefined();
    expect(wholeFencedBlock('    return total;')).toBeUndefined();
    expect(wholeFencedBlock('plain text')).toBeUndefined();
  });
});
