/**
 * Separates `<think>…</think>` and `<thought>…</thought>` blocks from streamed answer text
 * (DeepSeek R1, Qwen 3 and GLM on some servers write their reasoning this way; Gemma and Gemini
 * use `<thought>`). Incremental: a tag split across chunks (`<thi` + `nk>`) is held back until it
 * is complete, so no part of a tag reaches the text.
 */
import type { ModelDelta } from './types';

const OPENING_TAGS: ReadonlyArray<{ open: string; close: string }> = [
  { open: '<think>', close: '</think>' },
  { open: '<thought>', close: '</thought>' },
];

/** Splits a stream of content pieces into text and thinking deltas. One instance per stream. */
export class ThinkingSplitter {
  /** Text not yet emitted because it may be the start of a tag. */
  private pending = '';
  /** The closing tag awaited while inside a thinking block; undefined outside one. */
  private closeTag: string | undefined;
  /** After a thinking block that opens the answer: drop the whitespace that separates them. */
  private trimLeading = false;
  /** Whether any text has been emitted yet. */
  private textStarted = false;

  /** Takes the next content piece; returns the deltas it completes, in order, never empty texts. */
  push(content: string): ModelDelta[] {
    const out: ModelDelta[] = [];
    let buffer = this.pending + content;
    this.pending = '';
    for (;;) {
      if (this.closeTag === undefined) {
        const found = findOpening(buffer);
        if (!found) {
          const keep = heldBack(buffer, OPENING_TAGS.map((tag) => tag.open));
          this.emitText(out, buffer.slice(0, buffer.length - keep));
          this.pending = buffer.slice(buffer.length - keep);
          return out;
        }
        this.emitText(out, buffer.slice(0, found.index));
        this.closeTag = found.close;
        buffer = buffer.slice(found.index + found.open.length);
      } else {
        const index = buffer.indexOf(this.closeTag);
        if (index < 0) {
          const keep = heldBack(buffer, [this.closeTag]);
          emit(out, 'thinking', buffer.slice(0, buffer.length - keep));
          this.pending = buffer.slice(buffer.length - keep);
          return out;
        }
        emit(out, 'thinking', buffer.slice(0, index));
        buffer = buffer.slice(index + this.closeTag.length);
        this.closeTag = undefined;
        this.trimLeading = !this.textStarted;
      }
    }
  }

  /** Ends the stream: what was held back is emitted as it stands (an unclosed block stays thinking). */
  flush(): ModelDelta[] {
    const out: ModelDelta[] = [];
    if (this.closeTag === undefined) this.emitText(out, this.pending);
    else emit(out, 'thinking', this.pending);
    this.pending = '';
    return out;
  }

  private emitText(out: ModelDelta[], text: string): void {
    let value = text;
    if (this.trimLeading) {
      value = value.replace(/^\s+/, '');
      if (value) this.trimLeading = false;
    }
    if (value) this.textStarted = true;
    emit(out, 'text', value);
  }
}

function emit(out: ModelDelta[], kind: ModelDelta['kind'], text: string): void {
  if (!text) return;
  const last = out.at(-1);
  if (last && last.kind === kind) last.text += text;
  else out.push({ kind, text });
}

function findOpening(buffer: string): { index: number; open: string; close: string } | undefined {
  let best: { index: number; open: string; close: string } | undefined;
  for (const tag of OPENING_TAGS) {
    const index = buffer.indexOf(tag.open);
    if (index >= 0 && (!best || index < best.index)) best = { index, ...tag };
  }
  return best;
}

/** Length of the longest end of `buffer` that is the start of one of `tags` (to wait for more). */
function heldBack(buffer: string, tags: readonly string[]): number {
  const start = buffer.lastIndexOf('<');
  if (start < 0) return 0;
  const tail = buffer.slice(start);
  return tags.some((tag) => tag.length > tail.length && tag.startsWith(tail)) ? tail.length : 0;
}
