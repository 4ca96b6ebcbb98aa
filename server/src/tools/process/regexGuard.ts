/**
 * Running a regular expression the model wrote against process output without letting it hang
 * the server: a pattern with catastrophic backtracking (`(a+)+$`) can take years on a long line,
 * and the server has one thread. The match runs in a `node:vm` script with a timeout, which V8
 * interrupts mid-match (about 0.3 ms of overhead per call, measured here on Node 24).
 */
import * as vm from 'node:vm';

/**
 * ms a match may take: a first try, then a longer one, since the timeout is wall time and a busy
 * machine may pause the thread during a fast match. A pattern that exceeds both is given up, after
 * blocking the server for at most their sum once.
 */
export const REGEX_TIMEOUTS_MS = [250, 1000] as const;

const context = vm.createContext({ regex: /$^/, text: '' });
const script = new vm.Script('regex.exec(text)');

/**
 * `regex.exec(text)`, or `'timeout'` when it takes longer than each of {@link REGEX_TIMEOUTS_MS}.
 * @throws what `exec` throws, other than the timeout (none for a compiled RegExp).
 */
export function execWithTimeout(regex: RegExp, text: string): RegExpExecArray | null | 'timeout' {
  for (const timeoutMs of REGEX_TIMEOUTS_MS) {
    const found = execOnce(regex, text, timeoutMs);
    if (found !== 'timeout') return found;
  }
  return 'timeout';
}

function execOnce(regex: RegExp, text: string, timeoutMs: number): RegExpExecArray | null | 'timeout' {
  context.regex = regex;
  context.text = text;
  try {
    return script.runInContext(context, { timeout: timeoutMs }) as RegExpExecArray | null;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') return 'timeout';
    throw error;
  } finally {
    context.text = '';
  }
}
