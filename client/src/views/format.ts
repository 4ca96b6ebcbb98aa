/**
 * Short forms of tokens, USD and durations for tree item descriptions, tooltips and transcripts.
 * Pure (no `vscode` import), so unit-tested.
 */
import type { Usage } from '../../../protocol/run';

/** `950`, `1.2k`, `12k`, `1.2M` from a token count. */
export function formatTokens(tokens: number): string {
  if (tokens < 1000) return String(Math.round(tokens));
  if (tokens < 10_000) return `${trimZero((tokens / 1000).toFixed(1))}k`;
  if (tokens < 1_000_000) return `${Math.round(tokens / 1000)}k`;
  return `${trimZero((tokens / 1_000_000).toFixed(1))}M`;
}

/**
 * `$0.0012`, `$0.15`, `$12.30` from USD: four decimals below one cent, so that the cost of a small
 * run is not shown as zero; `<$0.0001` below that; `$0` for nothing.
 */
export function formatCost(usd: number): string {
  if (usd <= 0) return '$0';
  if (usd < 0.0001) return '<$0.0001';
  if (usd < 0.01) return `$${usd.toFixed(4)}`;
  return `$${usd.toFixed(2)}`;
}

/** `0s`, `12s`, `3m 05s`, `1h 02m` from milliseconds (negative counts as 0). */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  if (hours > 0) return `${hours}h ${pad(minutes)}m`;
  if (minutes > 0) return `${minutes}m ${pad(seconds)}s`;
  return `${seconds}s`;
}

/** Elapsed time in words for screen readers: `12 seconds`, `3 minutes 5 seconds`. */
export function spokenElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const parts: string[] = [];
  if (hours > 0) parts.push(plural(hours, 'hour'));
  if (minutes > 0) parts.push(plural(minutes, 'minute'));
  if (hours === 0) parts.push(plural(seconds, 'second'));
  return parts.join(' ');
}

/** Input plus output tokens. */
export function totalTokens(usage: Usage): number {
  return usage.inputTokens + usage.outputTokens;
}

/**
 * `1.2k tok · $0.0012`, the parts that are not zero (a model with no known price costs `$0`, which
 * would mislead: it is left out).
 */
export function usageParts(usage: Usage): string[] {
  const parts: string[] = [];
  const tokens = totalTokens(usage);
  if (tokens > 0) parts.push(`${formatTokens(tokens)} tok`);
  if (usage.costUsd > 0) parts.push(formatCost(usage.costUsd));
  return parts;
}

/** The first line of a text, trimmed and cut to `max` characters with an ellipsis. */
export function firstLine(text: string, max: number): string {
  const line = (text.split('\n').find((l) => l.trim() !== '') ?? '').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** A number with thousands separators: `12,345`. */
export function groupDigits(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

function trimZero(fixed: string): string {
  return fixed.endsWith('.0') ? fixed.slice(0, -2) : fixed;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}
