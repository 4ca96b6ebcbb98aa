/** The contract between the `moco` CLI and its renderers of run events. */
import { type RunEvent } from '../../../../protocol/run';

/** How run events are shown: a live tree on a terminal, plain lines in a pipe, or JSON lines. */
export type RenderMode = 'tree' | 'plain' | 'json';

/** Options of `createRenderer`. */
export interface RendererOptions {
  /** `tree` when stdout is a TTY, `plain` when piped, `json` with `--json`. */
  mode: RenderMode;
  /** Where the tree, the lines and the answer go (stdout). */
  out: NodeJS.WritableStream;
  /** Where warnings, retries, limits and errors go (stderr); `out` when absent. */
  err?: NodeJS.WritableStream;
  /** `--verbose`: sub-agents' text, tasks and status changes too. */
  verbose: boolean;
  /** Show thinking (`thinking_show`), dimmed and prefixed. */
  showThinking: boolean;
  /** `--stream`: print the root's answer as it streams, not only at the end. */
  stream: boolean;
  /** Use ANSI colors (false for `NO_COLOR`, pipes, `--json`). */
  color: boolean;
  /**
   * Print the root's answer (default true). False for a command that prints its own reading of
   * the answer (`moco review` prints findings, not the reviewer's JSON); `stream` is then ignored.
   */
  answer?: boolean;
}

/** Shows the events of run trees as they arrive. */
export interface Renderer {
  /** Shows a batch of events (`run/didChange` params' `events`, in `seq` order). */
  onEvents(events: RunEvent[]): void;
  /**
   * Ends the output: flushes buffered lines, stops redraws and timers, and leaves the cursor on
   * a fresh line. Call once the run is over (or interrupted); safe to call more than once.
   */
  finish(): void;
  /**
   * Takes the live tree off the screen until the returned function is called, so that a question
   * (an approval prompt) can use the terminal. Nested calls are counted. A no-op for `plain` and
   * `json`.
   */
  suspend(): () => void;
}
