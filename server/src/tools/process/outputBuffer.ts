/**
 * The output of one background process: stdout and stderr interleaved in arrival order, kept in a
 * ring buffer of the last `capacity` bytes. Positions are absolute byte offsets since the process
 * started, so a reader's offset stays valid while older output is dropped, and a reader can be told
 * how much it missed.
 */

/** Chunks smaller than this are merged with the previous one (bytes). */
const MERGE_BYTES = 16 * 1024;

/** A slice of the output, as returned by {@link OutputBuffer.read}. */
export interface OutputSlice {
  /** The bytes decoded as UTF-8 (a character cut at an edge shows as U+FFFD). */
  text: string;
  /** Absolute offset (bytes) of the first byte of `text`. */
  from: number;
  /** Absolute offset (bytes) just past the last byte of `text`. */
  to: number;
  /** Bytes between the requested start and `from` that were dropped from the buffer before being read. */
  dropped: number;
}

/** A ring buffer of output bytes with absolute offsets, and listeners told of each append. */
export class OutputBuffer {
  private chunks: Buffer[] = [];
  private kept = 0;
  private total = 0;
  private readonly listeners = new Set<() => void>();

  /** @param capacity bytes kept; older bytes are dropped first. */
  constructor(readonly capacity: number) {}

  /** Absolute offset of the oldest byte still kept. */
  get start(): number {
    return this.total - this.kept;
  }

  /** Absolute offset just past the newest byte: every byte ever written. */
  get end(): number {
    return this.total;
  }

  /** Bytes written so far that are no longer kept. */
  get droppedBytes(): number {
    return this.start;
  }

  /** Appends output, dropping the oldest bytes past the capacity, then tells the listeners. */
  append(data: Buffer): void {
    if (data.length === 0) return;
    const part = data.length > this.capacity ? data.subarray(data.length - this.capacity) : data;
    const last = this.chunks.at(-1);
    // Small writes are merged so that a chatty process does not make thousands of chunks.
    if (last && last.length + part.length <= MERGE_BYTES) this.chunks[this.chunks.length - 1] = Buffer.concat([last, part]);
    else this.chunks.push(Buffer.from(part));
    this.kept += part.length;
    this.total += data.length;
    this.trim();
    for (const listener of this.listeners) listener();
  }

  /**
   * The kept bytes from absolute offset `from` (clamped to what is kept) to the end, at most
   * `maxBytes` of them counted from `from`.
   */
  read(from: number, maxBytes = Number.POSITIVE_INFINITY): OutputSlice {
    const start = Math.max(from, this.start);
    const stop = Math.min(this.end, start + maxBytes);
    const dropped = Math.max(0, this.start - from);
    if (stop <= start) return { text: '', from: start, to: start, dropped };
    return { text: this.bytes(start, stop).toString('utf8'), from: start, to: stop, dropped };
  }

  /**
   * Like {@link read}, but when more output follows the slice, the slice ends after its last
   * newline (when it has one), so that a page does not end in the middle of a line.
   */
  readLines(from: number, maxBytes: number): OutputSlice {
    const start = Math.max(from, this.start);
    const stop = Math.min(this.end, start + maxBytes);
    if (stop >= this.end || stop <= start) return this.read(from, maxBytes);
    const bytes = this.bytes(start, stop);
    const newline = bytes.lastIndexOf(0x0a);
    const end = newline === -1 ? bytes.length : newline + 1;
    return { text: bytes.subarray(0, end).toString('utf8'), from: start, to: start + end, dropped: Math.max(0, this.start - from) };
  }

  /** The last `maxBytes` kept bytes (or fewer), ending at the end. */
  tail(maxBytes: number): OutputSlice {
    const from = Math.max(this.start, this.end - maxBytes);
    return this.read(from);
  }

  /** Calls `listener` after each append until the returned function is called. */
  onAppend(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Bytes between absolute offsets `from` and `to`, both inside the kept range. */
  private bytes(from: number, to: number): Buffer {
    const parts: Buffer[] = [];
    let offset = this.start;
    for (const chunk of this.chunks) {
      const chunkEnd = offset + chunk.length;
      if (chunkEnd > from && offset < to) parts.push(chunk.subarray(Math.max(0, from - offset), Math.min(chunk.length, to - offset)));
      offset = chunkEnd;
      if (offset >= to) break;
    }
    return Buffer.concat(parts);
  }

  private trim(): void {
    for (let first = this.chunks[0]; first && this.kept > this.capacity; first = this.chunks[0]) {
      const excess = this.kept - this.capacity;
      if (first.length <= excess) {
        this.chunks.shift();
        this.kept -= first.length;
      } else {
        this.chunks[0] = first.subarray(excess);
        this.kept -= excess;
      }
    }
  }
}
