/**
 * Runs `rg --json` and reads its JSON Lines output (ripgrep's `--json` format: one object per line,
 * `type` = `begin` | `match` | `context` | `end` | `summary`; text as `{text}` or, when not UTF-8,
 * `{bytes}` in base64; see `rg --help`, "--json"). The process is killed when the match cap is
 * reached, on time-out, and when the signal aborts.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { RIPGREP_TIMEOUT_MS } from './limits';
import type { SearchLine, SearchOutcome, SearchRequest } from './searchOutput';

/** The outcome of {@link runRipgrep}. */
export type RipgrepRun =
  | { ok: true; outcome: SearchOutcome }
  /** `pattern`: rg rejected the pattern; `spawn`: rg could not be started; `failed`: rg failed otherwise. */
  | { ok: false; reason: 'pattern' | 'spawn' | 'failed'; message: string };

/** Bytes of rg's stderr kept for messages. */
const STDERR_MAX_BYTES = 4096;

/**
 * The arguments for a request: JSON output, no config file (`RIPGREP_CONFIG_PATH`), hidden files
 * searched but `.git` and `node_modules` skipped (as the other search tools do), `.gitignore`
 * respected even outside a git repository (`--no-require-git`). Not `--sort path`: it makes rg
 * single-threaded (7× slower on a 32,000-file tree, 2 cores, here); {@link runRipgrep} sorts instead.
 */
export function ripgrepArguments(request: SearchRequest): string[] {
  const args = ['--json', '--no-config', '--hidden', '--no-require-git', '--glob', '!.git', '--glob', '!node_modules'];
  if (request.caseInsensitive) args.push('--ignore-case');
  if (request.fixedStrings) args.push('--fixed-strings');
  if (request.context > 0) args.push('--context', String(request.context));
  if (request.glob) args.push('--glob', request.glob);
  args.push('--regexp', request.pattern, '--', request.target);
  return args;
}

/**
 * Runs `rg` at `rgPath` in the working directory.
 *
 * @returns the lines found, files in path order (rg writes each file's lines together), stopping at
 *   `request.maxResults` matches (which ones then depends on rg's threads) or at
 *   {@link RIPGREP_TIMEOUT_MS} with a note; or why it failed.
 * @throws `signal.reason` when `signal` aborts (rg is killed first).
 */
export async function runRipgrep(rgPath: string, request: SearchRequest, signal: AbortSignal, timeoutMs = RIPGREP_TIMEOUT_MS): Promise<RipgrepRun> {
  signal.throwIfAborted();
  const child = spawn(rgPath, ripgrepArguments(request), { cwd: request.workingDir, stdio: ['ignore', 'pipe', 'pipe'] });
  const spawned = new Promise<Error | undefined>((resolve) => {
    child.once('spawn', () => resolve(undefined));
    child.once('error', resolve);
  });
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const spawnError = await spawned;
  if (spawnError) return { ok: false, reason: 'spawn', message: `${rgPath} could not be started (${spawnError.message})` };

  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    if (stderr.length < STDERR_MAX_BYTES) stderr += chunk.slice(0, STDERR_MAX_BYTES - stderr.length);
  });
  const outcome: SearchOutcome = { lines: [], matches: 0, capped: false, notes: [] };
  let timedOut = false;
  const kill = (): boolean => child.kill('SIGKILL');
  const timer = setTimeout(() => {
    timedOut = true;
    kill();
  }, timeoutMs);
  signal.addEventListener('abort', kill, { once: true });
  try {
    const reader = createInterface({ input: child.stdout, crlfDelay: Infinity });
    for await (const json of reader) {
      const line = parseMessage(json);
      if (!line) continue;
      if (line.match && outcome.matches >= request.maxResults) {
        outcome.capped = true;
        kill();
        break;
      }
      outcome.lines.push(line);
      if (line.match) outcome.matches++;
    }
    const code = await exited;
    signal.throwIfAborted();
    // A stable sort: each file's lines keep their order.
    outcome.lines.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    if (timedOut) outcome.notes.push(`ripgrep was stopped after ${timeoutMs / 1000} s; these are the lines it found until then. Narrow the search with a path or a glob.`);
    return settle(code, stderr, outcome);
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', kill);
    if (child.exitCode === null && child.signalCode === null) kill();
  }
}

/** rg exits 0 (matches), 1 (none) or 2 (an error; matches may still have been found). */
function settle(code: number | null, stderr: string, outcome: SearchOutcome): RipgrepRun {
  if (code !== 2) return { ok: true, outcome };
  const message = stderr.trim();
  if (outcome.matches === 0 && /regex parse error|error parsing regex|regex.*(?:size|compile)/i.test(message)) {
    return { ok: false, reason: 'pattern', message };
  }
  if (outcome.matches === 0 && outcome.lines.length === 0 && !/No such file|Permission denied/i.test(message)) {
    return { ok: false, reason: 'failed', message: message || 'ripgrep exited with status 2' };
  }
  if (message) outcome.notes.push(`ripgrep reported: ${message.split('\n').slice(0, 5).join(' | ')}`);
  return { ok: true, outcome };
}

/** rg's `{text}` or `{bytes}` (base64) as a string. */
function textOf(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const { text, bytes } = data as { text?: unknown; bytes?: unknown };
  if (typeof text === 'string') return text;
  if (typeof bytes === 'string') return Buffer.from(bytes, 'base64').toString('utf8');
  return undefined;
}

/** A `match` or `context` message as a line; undefined for the other messages and for malformed ones. */
function parseMessage(json: string): SearchLine | undefined {
  let message: { type?: unknown; data?: { path?: unknown; lines?: unknown; line_number?: unknown } };
  try {
    message = JSON.parse(json) as typeof message;
  } catch {
    return undefined;
  }
  if (message.type !== 'match' && message.type !== 'context') return undefined;
  const file = textOf(message.data?.path);
  const text = textOf(message.data?.lines);
  const lineNumber = message.data?.line_number;
  if (file === undefined || text === undefined || typeof lineNumber !== 'number') return undefined;
  return {
    path: (process.platform === 'win32' ? file.split('\\').join('/') : file).replace(/^\.\//, ''),
    line: lineNumber,
    text: text.replace(/\r?\n$/, ''),
    match: message.type === 'match',
  };
}
