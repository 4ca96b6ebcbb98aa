/**
 * Streams a commit message into a repository's SCM input box as `git/commitMessage`'s partial
 * results arrive, and gives the box back what it held when the request fails or is cancelled.
 * Pure (no `vscode`): the box is anything with a `value`, unit-tested with a plain object.
 */
import type { CommitMessagePartial } from '../../../protocol/git';

/** The SCM input box as far as streaming is concerned (`Repository.inputBox` of the Git API). */
export interface TextBox {
  value: string;
}

/**
 * One commit message on its way into one input box. Created when the request is sent; ends with
 * {@link finish} (the request's result) or {@link restore} (failure, cancellation). After the end,
 * late partial results are ignored.
 */
export class InputBoxStream {
  /** What the box held before the first partial result. */
  private readonly before: string;
  /** The message's text so far: the concatenated deltas since the last `reset`. */
  private text = '';
  private written = false;
  private ended = false;

  constructor(private readonly box: TextBox) {
    this.before = box.value;
  }

  /** The text the box held when the stream was created. */
  get previousValue(): string {
    return this.before;
  }

  /**
   * Appends a partial result's `delta` and shows the text so far in the box, in place of what it
   * held. `reset` (the provider retried) drops the text so far first.
   */
  partial(partial: CommitMessagePartial): void {
    if (this.ended) return;
    if (partial.reset) this.text = '';
    this.text += partial.delta;
    this.written = true;
    this.box.value = this.text;
  }

  /** Puts the finished message in the box: it replaces the streamed text, which may differ. */
  finish(message: string): void {
    if (this.ended) return;
    this.ended = true;
    this.box.value = message;
  }

  /**
   * Gives the box back what it held before, if the stream wrote to it; a box the stream never
   * touched (no partial result arrived) is left as it is.
   */
  restore(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.written) this.box.value = this.before;
  }
}
