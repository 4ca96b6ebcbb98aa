/**
 * `read_file`: numbered lines of a text file, read as a stream so that a huge file costs only the
 * lines returned. Caps (limits.ts): `READ_MAX_LINES` lines, `READ_MAX_BYTES` bytes, `MAX_LINE_CHARS`
 * characters per line; a note at the end says how to read the rest.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { readFileParameters } from './fileTools';
import { openTextFile } from './fileAccess';
import { numberLine, plural, READ_COUNT_LINES_MAX_BYTES, READ_MAX_BYTES, READ_MAX_LINES } from './limits';
import { errorResult, okResult } from './results';
import type { ToolImplementation } from './types';

/** Why the output stopped before the end of the file, if it did. */
type Cut = 'none' | 'limit' | 'lines' | 'bytes';

interface Slice {
  /** Numbered lines, ready to join. */
  lines: string[];
  /** The last line number shown (offset - 1 when none). */
  lastLine: number;
  /** Lines in the file, when known (read to the end). */
  totalLines: number | undefined;
  cut: Cut;
}

/** Implementation of `read_file {path, offset?, limit?}`. */
export const readFileImplementation: ToolImplementation<typeof readFileParameters> = async (args, context, signal) => {
  const opened = await openTextFile(context.workingDir, args.path);
  if (!opened.ok) return opened.result;
  const { file, stats } = opened;
  if (stats.size === 0) return okResult(`(${file.display} is empty)`, `read empty file ${file.display}`);

  const offset = args.offset ?? 1;
  const wanted = Math.min(args.limit ?? READ_MAX_LINES, READ_MAX_LINES);
  const slice = await readSlice(
    file.real,
    { offset, wanted, limitIsCallers: args.limit !== undefined && args.limit <= READ_MAX_LINES, countAll: stats.size <= READ_COUNT_LINES_MAX_BYTES },
    signal,
  );

  if (slice.lines.length === 0) {
    const total = slice.totalLines ?? slice.lastLine;
    return errorResult(`offset ${offset} is past the end of ${file.display}, which has ${plural(total, 'line')}; use an offset from 1 to ${total}`);
  }
  const note = truncationNote(slice, offset, file.display);
  const content = slice.lines.join('\n') + (note ? `\n\n${note}` : '');
  const shown = slice.lastLine - offset + 1;
  const summary = slice.cut === 'none' && offset === 1 ? `read ${plural(shown, 'line')} of ${file.display}` : `read lines ${offset}–${slice.lastLine} of ${file.display}`;
  return okResult(content, summary);
};

/** What {@link readSlice} reads. */
interface SliceRequest {
  /** First line, 1-based. */
  offset: number;
  /** Most lines to return. */
  wanted: number;
  /** Whether `wanted` is the caller's own limit (stopping there is asked for, not a truncation). */
  limitIsCallers: boolean;
  /** Keep reading to the end to count the lines when the output is cut. */
  countAll: boolean;
}

/**
 * Reads lines `offset ..` of `file`, at most `wanted`, stopping early at the byte cap.
 *
 * @throws `signal.reason` when `signal` aborts; read errors of the stream.
 */
async function readSlice(file: string, { offset, wanted, limitIsCallers, countAll }: SliceRequest, signal: AbortSignal): Promise<Slice> {
  const stream = createReadStream(file, { encoding: 'utf8', signal });
  const reader = createInterface({ input: stream, crlfDelay: Infinity });
  const lines: string[] = [];
  let lineNumber = 0;
  let bytes = 0;
  let cut: Cut = 'none';
  try {
    for await (const raw of reader) {
      lineNumber++;
      if (cut !== 'none') {
        if (!countAll) return { lines, lastLine: offset + lines.length - 1, totalLines: undefined, cut };
        continue;
      }
      if (lineNumber < offset) continue;
      if (lines.length >= wanted) {
        cut = limitIsCallers ? 'limit' : 'lines';
        if (!countAll) return { lines, lastLine: offset + lines.length - 1, totalLines: undefined, cut };
        continue;
      }
      const numbered = numberLine(lineNumber, lineNumber === 1 ? raw.replace(/^\uFEFF/, '') : raw);
      const size = Buffer.byteLength(numbered, 'utf8') + 1;
      if (bytes + size > READ_MAX_BYTES && lines.length > 0) {
        cut = 'bytes';
        if (!countAll) return { lines, lastLine: offset + lines.length - 1, totalLines: undefined, cut };
        continue;
      }
      bytes += size;
      lines.push(numbered);
    }
  } finally {
    reader.close();
    stream.destroy();
  }
  return { lines, lastLine: offset + lines.length - 1, totalLines: lineNumber, cut };
}

function truncationNote(slice: Slice, offset: number, display: string): string | undefined {
  if (slice.cut === 'none') return undefined;
  const next = slice.lastLine + 1;
  const of = slice.totalLines === undefined ? 'more lines follow' : `the file has ${slice.totalLines} lines`;
  if (slice.cut === 'limit') {
    return `[Showed lines ${offset}–${slice.lastLine} as asked; ${of}. To read on, call read_file with path "${display}" and offset ${next}.]`;
  }
  const reason = slice.cut === 'lines' ? `${READ_MAX_LINES} lines` : `${READ_MAX_BYTES / 1024} KiB`;
  return `[Output truncated at ${reason}: showed lines ${offset}–${slice.lastLine}; ${of}. To read the rest, call read_file with path "${display}", offset ${next} and a limit (at most ${READ_MAX_LINES} lines per call).]`;
}
