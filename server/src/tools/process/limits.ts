/**
 * Caps of the shell and process tools. They bound what one call may ask for (timeouts), what a
 * session may hold (background processes, their output) and what one result gives the model.
 */

const KIB = 1024;
const MIB = 1024 * KIB;

/** `execute_bash`: the longest `timeout` a call may ask for, in seconds (10 minutes). */
export const EXEC_MAX_TIMEOUT_S = 600;
/**
 * `execute_bash`: bytes of stdout + stderr shown to the model. Longer output keeps its head and
 * its tail (errors come last) with a note; the sandbox itself keeps at most its `outputCapBytes`.
 */
export const EXEC_SHOW_MAX_BYTES = 64 * KIB;
/** `wait_for_pattern`: default `timeout`, in seconds. */
export const WAIT_DEFAULT_TIMEOUT_S = 30;
/** `wait_for_pattern`: the longest `timeout` a call may ask for, in seconds (10 minutes). */
export const WAIT_MAX_TIMEOUT_S = 600;
/** Background processes running at once in one session. */
export const MAX_RUNNING_PROCESSES = 10;
/** Finished background processes kept (with their output) per session; the oldest go first. */
export const MAX_FINISHED_PROCESSES = 20;
/** Bytes of output (stdout and stderr interleaved) kept per background process: a ring buffer. */
export const PROCESS_OUTPUT_BYTES = 1 * MIB;
/** `get_output`: bytes of output returned by one call. */
export const GET_OUTPUT_MAX_BYTES = 64 * KIB;
/** `get_output`: the most `tail_lines` a call may ask for. */
export const GET_OUTPUT_MAX_TAIL_LINES = 2000;
/** Lines of a process's last output quoted when it exits, stops, or a wait ends without a match. */
export const LAST_LINES_SHOWN = 20;
/**
 * `wait_for_pattern`: bytes of already-scanned output scanned again with each new chunk, so that a
 * match across two chunks is found. A match longer than this may be missed.
 */
export const PATTERN_OVERLAP_BYTES = 8 * KIB;
/** `send_input`: bytes of input accepted per call. */
export const SEND_INPUT_MAX_BYTES = 64 * KIB;
