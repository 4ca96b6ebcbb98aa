/**
 * Caps of `ripgrep`, `find_definition` and `find_references`. Every cap that cuts output adds a
 * note saying so and how to narrow the search.
 */

/** `ripgrep`: matching lines returned when `max_results` is not given. */
export const RIPGREP_DEFAULT_RESULTS = 200;
/** `ripgrep`: the most matching lines a call may ask for. */
export const RIPGREP_MAX_RESULTS = 1000;
/** `ripgrep`: the most context lines around a match a call may ask for. */
export const RIPGREP_MAX_CONTEXT = 10;
/** `ripgrep`: characters of one line shown before it is cut. */
export const RIPGREP_MAX_LINE_CHARS = 500;
/** `ripgrep`: characters of output (all lines) before the rest is left out. */
export const RIPGREP_MAX_OUTPUT_CHARS = 100_000;
/** `ripgrep`: how long (ms) `rg` may run before it is stopped and what it found so far is returned. */
export const RIPGREP_TIMEOUT_MS = 30_000;
/** `find_definition` / `find_references`: locations shown. */
export const SYMBOL_MAX_SHOWN = 200;
