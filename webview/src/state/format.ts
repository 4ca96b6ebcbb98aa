/** Short texts the chat shows for numbers and arguments. Pure functions. */
import type { Usage } from '../../../protocol/run';

/** `950`, `12.3k`, `4.5M` tokens. */
export function formatTokens(count: number): string {
  if (count < 1000) return String(Math.round(count));
  if (count < 1_000_000) return `${trimZero((count / 1000).toFixed(1))}k`;
  return `${trimZero((count / 1_000_000).toFixed(1))}M`;
}

/** USD: `$0.0123` below one dollar, `$1.23` above. */
export function formatCost(usd: number): string {
  return usd < 1 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`;
}

/**
 * A usage line such as `12.3k in · 1.2k out · $0.0123`. The cost is left out when it is 0 (a
 * model with no known price, or a local one).
 */
export function formatUsage(usage: Usage): string {
  const parts = [`${formatTokens(usage.inputTokens)} in`, `${formatTokens(usage.outputTokens)} out`];
  if (usage.costUsd > 0) parts.push(formatCost(usage.costUsd));
  return parts.join(' · ');
}

/** A duration in ms: `120 ms`, `3.4 s`, `2 min 5 s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${trimZero((ms / 1000).toFixed(1))} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return seconds ? `${minutes} min ${seconds} s` : `${minutes} min`;
}

/**
 * One line of a tool call's arguments, at most `max` characters: the values of an object's
 * fields (`src/a.ts, 10`), or the raw text when the arguments were not JSON.
 */
export function previewArguments(args: unknown, max = 80): string {
  let line: string;
  if (args === undefined || args === null) line = '';
  else if (typeof args === 'string') line = args;
  else if (typeof args === 'object' && !Array.isArray(args)) {
    line = Object.values(args as Record<string, unknown>)
      .map((value) => (typeof value === 'string' ? value : JSON.stringify(value)))
      .join(', ');
  } else line = JSON.stringify(args);
  line = line.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** The arguments as pretty JSON (2 spaces), or the raw text when they were not JSON. */
export function prettyArguments(args: unknown): string {
  if (typeof args === 'string') return args;
  if (args === undefined) return '';
  return JSON.stringify(args, null, 2);
}

function trimZero(fixed: string): string {
  return fixed.endsWith('.0') ? fixed.slice(0, -2) : fixed;
}
