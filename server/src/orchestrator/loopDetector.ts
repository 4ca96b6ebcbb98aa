/**
 * Loop detection, a limit the model cannot switch off: the same tool with the same arguments
 * {@link LOOP_REPEATS} times within the last {@link LOOP_WINDOW} calls is blocked, and the model is
 * told. Numbers from DESIGN.md ("Limits that the model cannot switch off").
 */
import { isDeepStrictEqual } from 'node:util';

/** How many of the most recent calls are compared. */
export const LOOP_WINDOW = 10;
/** The repeat count within the window that is blocked (the 3rd identical call). */
export const LOOP_REPEATS = 3;
/** After this many blocked calls in one agent run, the run stops: the model is not listening. */
export const LOOP_BLOCKS_BEFORE_STOP = 3;

/** The calls of one agent run. Not shared between runs. */
export class LoopDetector {
  private readonly recent: { name: string; args: unknown }[] = [];
  private blockedCount = 0;

  /**
   * Records a call and says whether it is blocked. A blocked call is not recorded again, so the
   * model gets out of the block by changing the call, not by waiting.
   */
  check(name: string, args: unknown): { blocked: false } | { blocked: true; message: string; stop: boolean } {
    const repeats = this.recent.filter((call) => call.name === name && isDeepStrictEqual(call.args, args)).length;
    if (repeats + 1 >= LOOP_REPEATS) {
      this.blockedCount += 1;
      return {
        blocked: true,
        stop: this.blockedCount >= LOOP_BLOCKS_BEFORE_STOP,
        message:
          `Blocked: you called ${name} with the same arguments ${LOOP_REPEATS} times in your last ${LOOP_WINDOW} tool calls. ` +
          'Repeating it will give the same result. Use what you already have, try a different approach, or give your answer.',
      };
    }
    this.recent.push({ name, args });
    // The window is this call and the LOOP_WINDOW - 1 before it.
    if (this.recent.length > LOOP_WINDOW - 1) this.recent.shift();
    return { blocked: false };
  }
}
