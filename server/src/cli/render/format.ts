/**
 * Small text formatters shared by the CLI's renderers: token counts, USD, durations, and one-line
 * previews of tool arguments. Pure functions, no I/O.
 */
/** A token count with thousands separators, for example `1,234` (en-US grouping). */
export function formatTokens(tokens: number): string {
  return Math.round(tokens).toLocaleString('en-US');
}

/** USD with 4 decimals, for example `$0.0012`. */
export function formatUsd(usd: number): string {
  return `$${usd.toFixed(4)}`;
}

/**
 * A duration in ms for people: `850 ms`, `1.2 s`, `2 m 05 s`, `1 h 02 m`. Negative or non-finite
 * durations (clock skew, missing times) show as `0 ms`.
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '0 ms';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const totalSeconds = Math.floor(ms / 1000);
  if (totalSeconds < 3600) {
    return `${Math.floor(totalSeconds / 60)} m ${pad2(totalSeconds % 60)} s`;
  }
  const totalMinutes = Math.floor(totalSeconds / 60);
  return `${Math.floor(totalMinutes / 60)} h ${pad2(totalMinutes % 60)} m`;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/**
 * One line of at most `max` characters (counted in UTF-16 code units): line breaks and runs of
 * white space become one space; a longer text is cut and ends with `…`.
 */
export function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  return `${flat.slice(0, Math.max(0, max - 1))}…`;
}

/**
 * Tool arguments as compact JSON on one line, cut to `max` characters (default 120) with `…`.
 * Raw text (arguments that were not valid JSON) is shown as it is.
 */
export function formatArguments(args: unknown, max = 120): string {
  return oneLine(typeof args === 'string' ? args : safeJson(args), max);
}

/** Argument keys that best say what a call is about, in order of preference. */
const PREVIEW_KEYS = ['agent_name', 'path', 'pattern', 'command', 'query', 'url', 'name'];

/**
 * A short preview of a tool call's arguments for the live tree: the value of its most telling
 * field (`agent_name`, `path`, `pattern`, …) or else the compact JSON, cut to `max` characters.
 */
export function previewArguments(args: unknown, max = 40): string {
  if (args !== null && typeof args === 'object' && !Array.isArray(args)) {
    const record = args as Record<string, unknown>;
    for (const key of PREVIEW_KEYS) {
      const value = record[key];
      if (typeof value === 'string' && value !== '') return oneLine(value, max);
    }
  }
  return formatArguments(args, max);
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

export { parseTime } from '../../../../protocol/runTreeState';
