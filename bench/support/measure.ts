/**
 * Measuring helpers of `npm run bench:orchestrator`: a provider wrapper that records the time
 * spent inside `complete`, percentiles, garbage collection on demand, and the printed table.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { ModelProvider } from '../../server/src/providers/types';

/** When one `complete` call started and ended (`performance.now()`, ms). */
export interface CallSpan {
  start: number;
  end: number;
}

/** Wraps a provider so that it adds the span of each of its calls to `spans`, in the order they start. */
export function timed(inner: ModelProvider, spans: CallSpan[]): ModelProvider {
  return {
    id: inner.id,
    async complete(request, observer, signal) {
      const span = { start: performance.now(), end: Number.NaN };
      spans.push(span);
      try {
        return await inner.complete(request, observer, signal);
      } finally {
        span.end = performance.now();
      }
    },
  };
}

/**
 * The orchestrator's own time per step of one agent run: from the end of one model call to the
 * start of the next (tool calls, storage, events, building the next request), in ms.
 */
export function ownTimePerStep(spans: CallSpan[]): number[] {
  return spans.slice(1).map((span, index) => span.start - spans[index]!.end);
}

/** The time inside each model call, in ms. */
export function modelTime(spans: CallSpan[]): number[] {
  return spans.map((span) => span.end - span.start);
}

/** The `p`-th percentile (0..100) by the nearest-rank method. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

/** The median. */
export function median(values: number[]): number {
  return percentile(values, 50);
}

let collect: (() => void) | undefined;

/** Runs a full garbage collection (V8's `gc`, exposed at run time), twice to settle. */
export function fullGc(): void {
  if (!collect) {
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as () => void;
  }
  collect();
  collect();
}

/** One row of the table. */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** The target the value should stay under. */
  target?: number;
  /** Digits after the point. Default 1. */
  digits?: number;
  detail?: string;
}

/** Prints the figures as an aligned table: value, target, value / target, detail. */
export function printTable(figures: Figure[]): void {
  const rows = figures.map((f) => [
    f.name,
    `${f.value.toFixed(f.digits ?? 1)} ${f.unit}`.trim(),
    f.target === undefined ? '-' : `< ${f.target} ${f.unit}`.trim(),
    f.target === undefined ? '-' : `${(f.value / f.target).toFixed(2)}`,
    f.detail ?? '',
  ]);
  const header = ['figure', 'value', 'target', 'ratio', 'detail'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
}
