/** Placeholder until the process tools land: replaced by the session's table of background processes. */
export type ProcessTable = Record<string, never>;
