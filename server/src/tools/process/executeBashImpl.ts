/**
 * `execute_bash`: one command run to its end in the session's sandbox, after the command policy.
 * The result gives the exit code (or the timeout, or the signal), stdout and stderr apart, and
 * says when output was cut: by the sandbox's cap, or here to {@link EXEC_SHOW_MAX_BYTES}.
 */
import { formatBytes } from '../limits';
import { errorResult, okResult } from '../results';
import type { ToolImplementation, ToolResult } from '../types';
import { SandboxError, type RunResult } from '../../sandbox/types';
import { formatSeconds } from './backgroundProcess';
import type { executeBashParameters } from './definitions';
import { EXEC_MAX_TIMEOUT_S, EXEC_SHOW_MAX_BYTES } from './limits';
import { authorize, commandFolder, openSandbox, requireGate, requireSandbox, sandboxFailure } from './shared';

const TOOL = 'execute_bash';

/** Implementation of `execute_bash {command, timeout?, working_dir?}`. Cancelling kills the command's whole process tree. */
export const executeBashImplementation: ToolImplementation<typeof executeBashParameters> = async (args, context, signal) => {
  const gate = requireGate(context, TOOL);
  if (!gate.ok) return gate.result;
  const create = requireSandbox(context, TOOL);
  if (!create.ok) return create.result;
  const folder = await commandFolder(context, args.working_dir);
  if (!folder.ok) return folder.result;
  const allowed = await authorize(gate.value, { command: args.command, tool: TOOL, cwd: folder.value.real }, signal);
  if (!allowed.ok) return allowed.result;
  const sandbox = await openSandbox(create.value);
  if (!sandbox.ok) return sandbox.result;

  const timeoutMs = Math.round((args.timeout ?? Math.min(sandbox.value.config.timeoutMs / 1000, EXEC_MAX_TIMEOUT_S)) * 1000);
  let run: RunResult;
  try {
    run = await sandbox.value.run(args.command, { cwd: folder.value.real, timeoutMs }, signal);
  } catch (error) {
    if (error instanceof SandboxError && !signal.aborted) return sandboxFailure(error);
    throw error;
  }
  return describeRun(run, timeoutMs, sandbox.value.config.outputCapBytes);
};

/**
 * The result of a finished command, for the model and the user.
 * @param timeoutMs the timeout the command ran with.
 * @param capBytes the sandbox's output cap (bytes of stdout + stderr kept).
 */
export function describeRun(run: RunResult, timeoutMs: number, capBytes: number): ToolResult {
  const duration = formatSeconds(run.durationMs / 1000);
  const notes: string[] = [];
  let head: string;
  let summary: string;
  if (run.timedOut) {
    head = `Timed out after ${formatSeconds(timeoutMs / 1000)} and was killed, with every process it started. Its output until then is below.`;
    notes.push(`Give a longer timeout (at most ${EXEC_MAX_TIMEOUT_S} s), or run it with start_background and follow it with wait_for_pattern.`);
    summary = `timed out after ${formatSeconds(timeoutMs / 1000)}`;
  } else if (run.exitCode === null) {
    head = `Killed by a signal after ${duration} (no exit code): it may have run out of memory or been killed by another process.`;
    summary = `killed · ${duration}`;
  } else {
    head = `Exit code: ${run.exitCode} (${duration})`;
    summary = `exit ${run.exitCode} · ${duration}`;
  }
  if (run.truncated) {
    notes.push(
      `Output truncated at ${formatBytes(capBytes)} (the sandbox keeps that much of stdout and stderr together): the rest was dropped. ` +
        'Redirect the output to a file (command > out.txt 2>&1) and read it with read_file or grep.',
    );
  }
  const shown = fitStreams(run.stdout, run.stderr, EXEC_SHOW_MAX_BYTES);
  if (shown.cut) {
    notes.push(`Only ${formatBytes(EXEC_SHOW_MAX_BYTES)} of the output is shown (the start and the end of each stream); redirect it to a file to read all of it.`);
  }
  if (run.truncated || shown.cut) summary += ' · output truncated';
  const content = [head, ...notes.map((note) => `[${note}]`), section('stdout', shown.stdout), section('stderr', shown.stderr)].join('\n');
  return run.timedOut || run.exitCode === null ? errorResult(content, summary) : okResult(content, summary);
}

function section(name: string, text: string): string {
  return text === '' ? `--- ${name}: empty ---` : `--- ${name} ---\n${text.replace(/\n$/, '')}`;
}

/**
 * Fits stdout and stderr into `maxBytes` together: each stream gets half, and what one does not
 * use goes to the other. A stream over its share keeps its start (a quarter) and its end.
 */
function fitStreams(stdout: string, stderr: string, maxBytes: number): { stdout: string; stderr: string; cut: boolean } {
  const outBytes = Buffer.byteLength(stdout);
  const errBytes = Buffer.byteLength(stderr);
  if (outBytes + errBytes <= maxBytes) return { stdout, stderr, cut: false };
  const half = Math.floor(maxBytes / 2);
  const errShare = errBytes <= half ? errBytes : Math.max(half, maxBytes - outBytes);
  const outShare = maxBytes - errShare;
  return { stdout: cutMiddle(stdout, outShare, 'stdout'), stderr: cutMiddle(stderr, errShare, 'stderr'), cut: true };
}

function cutMiddle(text: string, maxBytes: number, name: string): string {
  const bytes = Buffer.from(text);
  if (bytes.length <= maxBytes) return text;
  const headBytes = Math.floor(maxBytes / 4);
  const tailBytes = maxBytes - headBytes;
  const dropped = bytes.length - headBytes - tailBytes;
  const start = bytes.subarray(0, headBytes).toString('utf8');
  const end = bytes.subarray(bytes.length - tailBytes).toString('utf8');
  return `${start}\n[... ${formatBytes(dropped)} of ${name} cut here ...]\n${end}`;
}
