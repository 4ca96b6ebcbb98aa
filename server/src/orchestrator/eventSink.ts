/**
 * Numbers, coalesces, stores and publishes a session's run events, in that order: an event is in
 * SQLite before any listener sees it, so a killed process loses nothing the user was shown.
 *
 * Text and thinking deltas are throttled: a delta that comes after {@link DELTA_FLUSH_MS} ms
 * without one goes at once (so the first token of an answer is shown without waiting), and those
 * that follow within the window are merged and sent at its end. Any other event flushes them
 * first, so the order of events is the order things happened.
 */
import type { RunEvent } from '../../../protocol/run';

/** How long deltas are merged before they are stored and sent, in ms. */
export const DELTA_FLUSH_MS = 50;

/** A {@link RunEvent} before the sink gives it a `seq` and a `time`. */
export type RunEventInput = RunEvent extends infer E ? (E extends RunEvent ? Omit<E, 'seq' | 'time'> : never) : never;

/** Where events are stored: `EventStore` of the storage module. */
export interface EventLog {
  append(sessionId: string, events: RunEvent[]): void;
  lastSeq(sessionId: string): number;
}

/** Receives each stored batch, in order. */
export type EventListener = (sessionId: string, events: RunEvent[]) => void;

type DeltaKind = 'textDelta' | 'thinkingDelta';

/** The event stream of one session. */
export class SessionEventSink {
  private seq: number;
  private pending: { runId: string; kind: DeltaKind; text: string } | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** `performance.now()` of the last delta written; -Infinity before the first. */
  private lastDeltaWrite = -Infinity;

  constructor(
    readonly sessionId: string,
    private readonly log: EventLog,
    private readonly listener: EventListener,
  ) {
    this.seq = log.lastSeq(sessionId);
  }

  /** Adds an event. Deltas may wait up to {@link DELTA_FLUSH_MS} ms; other events go at once. */
  emit(event: RunEventInput): void {
    if (event.kind === 'textDelta' || event.kind === 'thinkingDelta') {
      if (event.text === '') return;
      if (this.pending && (this.pending.runId !== event.runId || this.pending.kind !== event.kind)) this.flush();
      if (this.pending) {
        this.pending.text += event.text;
        return;
      }
      const sinceLast = performance.now() - this.lastDeltaWrite;
      if (sinceLast >= DELTA_FLUSH_MS) {
        // The leading edge: nothing was sent for a while, so this one goes now.
        this.lastDeltaWrite = performance.now();
        this.write([this.stamp(event)]);
        return;
      }
      this.pending = { runId: event.runId, kind: event.kind, text: event.text };
      this.timer = setTimeout(() => this.flush(), DELTA_FLUSH_MS - sinceLast);
      return;
    }
    const batch = this.takePending();
    batch.push(this.stamp(event));
    this.write(batch);
  }

  /** Stores and sends the merged deltas now. */
  flush(): void {
    const batch = this.takePending();
    if (batch.length > 0) this.write(batch);
  }

  private takePending(): RunEvent[] {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const pending = this.pending;
    this.pending = undefined;
    if (pending) this.lastDeltaWrite = performance.now();
    return pending ? [this.stamp({ runId: pending.runId, kind: pending.kind, text: pending.text })] : [];
  }

  private stamp(event: RunEventInput): RunEvent {
    this.seq += 1;
    return { ...event, seq: this.seq, time: new Date().toISOString() };
  }

  private write(events: RunEvent[]): void {
    let batch = events;
    try {
      this.log.append(this.sessionId, batch);
    } catch (error) {
      // Another process (a second `moco` on the same session) wrote events meanwhile, so these
      // seqs are taken: number the batch after the stored ones and write it again.
      const stored = this.log.lastSeq(this.sessionId);
      if (stored < (batch[0]?.seq ?? 0)) throw error;
      batch = batch.map((event, index) => ({ ...event, seq: stored + index + 1 }));
      this.seq = stored + batch.length;
      this.log.append(this.sessionId, batch);
    }
    this.listener(this.sessionId, batch);
  }
}
