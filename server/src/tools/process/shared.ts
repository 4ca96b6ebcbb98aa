/**
 * Steps the shell and process tools share: finding the session's services (and saying clearly
 * when one is missing), the working directory, the command policy, the sandbox, and quoting the
 * last lines of some output.
 */
import { openFolder } from '../folderAccess';
import { errorResult } from '../results';
import type { CommandGate, CommandRequest } from '../services';
import type { ToolContext, ToolResult } from '../types';
import { SandboxError, type Sandbox } from '../../sandbox/types';
import type { ProcessTable } from './processTable';

/** A value, or the error result a tool returns instead. */
export type Step<T> = { ok: true; value: T } | { ok: false; result: ToolResult };

/**
 * The command gate of the run. Without one the tool refuses (fails closed): no command runs
 * without the policy.
 */
export function requireGate(context: ToolContext, tool: string): Step<CommandGate> {
  const gate = context.services?.commandGate;
  if (gate) return { ok: true, value: gate };
  return {
    ok: false,
    result: errorResult(`${tool} is unavailable here: no command policy is set up for this run, and no command runs without it. Use the file tools instead.`, 'unavailable: no command policy'),
  };
}

/** The session's process table, or an error result saying background processes are unavailable. */
export function requireTable(context: ToolContext, tool: string): Step<ProcessTable> {
  const table = context.services?.processes;
  if (table) return { ok: true, value: table };
  return {
    ok: false,
    result: errorResult(`${tool} is unavailable here: this session has no background processes. Use execute_bash for commands that end.`, 'unavailable: no background processes'),
  };
}

/** The run's working folder for a command: `working_dir` confined to the working directory. */
export async function commandFolder(context: ToolContext, workingDir: string | undefined): Promise<Step<{ real: string; display: string }>> {
  if (workingDir === undefined) return { ok: true, value: { real: context.workingDir, display: '.' } };
  const opened = await openFolder(context.workingDir, workingDir);
  if (!opened.ok) return { ok: false, result: { ...opened.result, content: `working_dir: ${opened.result.content}` } };
  return { ok: true, value: { real: opened.folder.real, display: opened.folder.display } };
}

/**
 * Asks the command policy. A refusal becomes an error result with the gate's message for the
 * model and its summary for the user.
 * @throws the signal's reason when the run is cancelled while the user is asked.
 */
export async function authorize(gate: CommandGate, request: CommandRequest, signal: AbortSignal): Promise<Step<void>> {
  const verdict = await gate.authorize(request, signal);
  if (verdict.ok) return { ok: true, value: undefined };
  return { ok: false, result: errorResult(`The command was not run: ${verdict.message}`, verdict.summary) };
}

/**
 * The session's sandbox factory, or an error result when there is none. Checked before the policy
 * is asked, so that the user is not asked about a command that cannot run; the sandbox itself is
 * created after (see {@link openSandbox}).
 */
export function requireSandbox(context: ToolContext, tool: string): Step<() => Promise<Sandbox>> {
  const create = context.services?.sandbox;
  if (create) return { ok: true, value: create };
  return { ok: false, result: errorResult(`${tool} is unavailable here: no sandbox is configured for this session.`, 'unavailable: no sandbox') };
}

/** Creates (or gets) the session's sandbox; a {@link SandboxError} becomes an error result. */
export async function openSandbox(create: () => Promise<Sandbox>): Promise<Step<Sandbox>> {
  try {
    return { ok: true, value: await create() };
  } catch (error) {
    if (error instanceof SandboxError) return { ok: false, result: sandboxFailure(error) };
    throw error;
  }
}

/** The error result of a failing sandbox (not a failing command). */
export function sandboxFailure(error: SandboxError): ToolResult {
  return errorResult(`The sandbox failed, so the command did not run: ${error.message}`, 'sandbox error');
}

/** The last `count` lines of `text` (a final newline does not count as an empty line). */
export function lastLines(text: string, count: number): string {
  const lines = text.replace(/\n$/, '').split('\n');
  return lines.slice(Math.max(0, lines.length - count)).join('\n');
}
