/**
 * Token counts and their price, and their sums. A file of its own, without JSON-RPC code, so that
 * the webview bundle can use it (protocol/run.ts re-exports it).
 */

/** Token counts and their price. */
export interface Usage {
  /** Prompt tokens, as the provider reported them (`usage.prompt_tokens`). */
  inputTokens: number;
  /** Completion tokens, as the provider reported them (`usage.completion_tokens`). */
  outputTokens: number;
  /** USD, from the model table's prices; 0 for a model with no known price. */
  costUsd: number;
}

/** A usage of zero tokens and zero USD (a new object each time). */
export function zeroUsage(): Usage {
  return { inputTokens: 0, outputTokens: 0, costUsd: 0 };
}

/** Adds two usages field by field: the roll-up of a node's children, or of a tree. */
export function addUsage(a: Usage, b: Usage): Usage {
  return { inputTokens: a.inputTokens + b.inputTokens, outputTokens: a.outputTokens + b.outputTokens, costUsd: a.costUsd + b.costUsd };
}
