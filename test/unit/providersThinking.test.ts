// The <think>/<thought> splitter: however the stream cuts the content, no part of a tag reaches the
// answer text, and thinking and text come out whole and in order.
import { describe, expect, it } from 'vitest';
import { ThinkingSplitter } from '../../server/src/providers/thinking';
import type { ModelDelta } from '../../server/src/providers/types';

function run(pieces: string[]): { text: string; thinking: string; deltas: ModelDelta[] } {
  const splitter = new ThinkingSplitter();
  const deltas = [...pieces.flatMap((piece) => splitter.push(piece)), ...splitter.flush()];
  return {
    deltas,
    text: deltas.filter((delta) => delta.kind === 'text').map((delta) => delta.text).join(''),
    thinking: deltas.filter((delta) => delta.kind === 'thinking').map((delta) => delta.text).join(''),
  };
}

/** Every way of cutting `text` in two, and in three at each pair of positions. */
function cuts(text: string): string[][] {
  const out: string[][] = [];
  for (let i = 0; i <= text.length; i += 1) {
    out.push([text.slice(0, i), text.slice(i)]);
    for (let j = i; j <= text.length; j += 1) out.push([text.slice(0, i), text.slice(i, j), text.slice(j)]);
  }
  return out;
}

describe('ThinkingSplitter', () => {
  const cases: { input: string; text: string; thinking: string }[] = [
    { input: '<think>plan the edit</think>\n\nHere is the edit.', text: 'Here is the edit.', thinking: 'plan the edit' },
    { input: 'Before <thought>a note</thought> after', text: 'Before  after', thinking: 'a note' },
    { input: 'a < b and <thin> is not a tag', text: 'a < b and <thin> is not a tag', thinking: '' },
    { input: '<think>one</think>mid<think>two</think>end', text: 'midend', thinking: 'onetwo' },
  ];

  for (const { input, text, thinking } of cases) {
    it(`separates ${JSON.stringify(input)} at every cut position`, () => {
      for (const pieces of cuts(input)) {
        const result = run(pieces);
        expect({ text: result.text, thinking: result.thinking }, JSON.stringify(pieces)).toEqual({ text, thinking });
      }
    });
  }

  it('splits one character at a time', () => {
    const result = run([...'<think>x</think>Answer <b>bold</b>']);
    expect(result.text).toBe('Answer <b>bold</b>');
    expect(result.thinking).toBe('x');
  });

  it('keeps an unclosed block as thinking when the stream ends', () => {
    expect(run(['<think>still thinking when cut'])).toMatchObject({ text: '', thinking: 'still thinking when cut' });
  });

  it('gives a tag-like ending back as text when the stream ends', () => {
    expect(run(['The answer is <thi']).text).toBe('The answer is <thi');
  });

  it('streams text before a block is complete and emits no empty deltas', () => {
    const splitter = new ThinkingSplitter();
    expect(splitter.push('Hello <thi')).toEqual([{ kind: 'text', text: 'Hello ' }]);
    expect(splitter.push('nk>deep')).toEqual([{ kind: 'thinking', text: 'deep' }]);
    expect(splitter.push('</th')).toEqual([]);
    expect(splitter.push('ink> world')).toEqual([{ kind: 'text', text: ' world' }]);
    expect(splitter.flush()).toEqual([]);
  });
});
