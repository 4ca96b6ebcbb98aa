/** Caps and defaults of the web tools. */

/** `webfetch`: response bytes read when `moco.web.maxResponseBytes` is not set (5 MiB, services.ts). */
export const DEFAULT_MAX_RESPONSE_BYTES = 5 * 1024 * 1024;
/** `webfetch`: characters of text given to the model; the rest is cut with a note. */
export const WEBFETCH_MAX_TEXT_CHARS = 100_000;
/** `webfetch`: how long (ms) one fetch may take, redirects and body included. */
export const WEBFETCH_TIMEOUT_MS = 30_000;
/** `websearch`: results when `max_results` is not given. */
export const WEBSEARCH_DEFAULT_RESULTS = 8;
/** `websearch`: the most results a call may ask for. */
export const WEBSEARCH_MAX_RESULTS = 20;
/** `websearch`: how long (ms) the search endpoint may take. */
export const WEBSEARCH_TIMEOUT_MS = 20_000;
/** `websearch`: characters of one result's snippet shown. */
export const WEBSEARCH_SNIPPET_CHARS = 500;
