/**
 * `start_background`, `stop_process`, `list_processes` and `send_input`: the life of a session's
 * background processes (processTable.ts), each started in the sandbox after the command policy.
 */
import * as path from 'node:path';
import { formatBytes, plural } from '../limits';
import { errorResult, okResult } from '../results';
import type { ToolContext, ToolImplementation } from '../types';
import { SandboxError } from '../../sandbox/types';
import type { BackgroundProcess } from './backgroundProcess';
import type { listProcessesParameters, sendInputParameters, startBackgroundParameters, stopProcessParameters } from './definitions';
import { LAST_LINES_SHOWN, SEND_INPUT_MAX_BYTES } from './limits';
import { readsCommandsFromStdin } from './shellInput';
import { authorize, commandFolder, lastLines, openSandbox, requireGate, requireSandbox, requireTable, sandboxFailure, type Step } from './shared';

/**
 * Variables of background processes: Python writes its output at once rather than in blocks (its
 * output goes to a pipe, which it would buffer), so get_output and wait_for_pattern see it.
 */
const BACKGROUND_ENV: Record<string, string> = { PYTHONUNBUFFERED: '1' };

/** Implementation of `start_background {command, name?, working_dir?}`. */
export const startBackgroundImplementation: ToolImplementation<typeof startBackgroundParameters> = async (args, context, signal) => {
  const tool = 'start_background';
  const gate = requireGate(context, tool);
  if (!gate.ok) return gate.result;
  const table = requireTable(context, tool);
  if (!table.ok) return table.result;
  const create = requireSandbox(context, tool);
  if (!create.ok) return create.result;
  const folder = await commandFolder(context, args.working_dir);
  if (!folder.ok) return folder.result;
  const full = table.value.refusal();
  if (full) return errorResult(full.message, full.summary);
  const allowed = await authorize(gate.value, { command: args.command, tool, cwd: folder.value.real }, signal);
  if (!allowed.ok) return allowed.result;
  const sandbox = await openSandbox(create.value);
  if (!sandbox.ok) return sandbox.result;

  let outcome;
  try {
    outcome = await table.value.start({ command: args.command, name: args.name, cwd: folder.value.display }, () =>
      sandbox.value.spawn(args.command, { cwd: folder.value.real, env: BACKGROUND_ENV }),
    );
  } catch (error) {
    if (error instanceof SandboxError) return sandboxFailure(error);
    throw error;
  }
  if (!outcome.ok) return errorResult(outcome.message, outcome.summary);
  const entry = outcome.process;
  return okResult(
    `Started ${entry.label} in ${entry.cwd}: ${entry.command}\n` +
      `It runs in the background (sandbox process ${entry.sandboxId}). Use the id "${entry.id}" with get_output to read its output, ` +
      'wait_for_pattern to wait for a line, send_input to write to its stdin, and stop_process to end it.',
    `started ${entry.label}`,
  );
};

/** Implementation of `stop_process {id}`: kills the process's whole group. */
export const stopProcessImplementation: ToolImplementation<typeof stopProcessParameters> = async (args, context) => {
  const found = findProcess(context, 'stop_process', args.id);
  if (!found.ok) return found.result;
  const entry = found.value;
  if (!entry.running) {
    return okResult(`${entry.label} had ${entry.describeState()} already; there was nothing to stop.${lastOutput(entry)}`, `${entry.label} had ended already`);
  }
  await entry.stop();
  return okResult(`Stopped ${entry.label} and every process it started; it ${entry.describeState()}.${lastOutput(entry)}`, `stopped ${entry.label}`);
};

/** Implementation of `list_processes {}`. */
export const listProcessesImplementation: ToolImplementation<typeof listProcessesParameters> = (_args, context) => {
  const table = requireTable(context, 'list_processes');
  if (!table.ok) return Promise.resolve(table.result);
  const entries = table.value.list();
  if (entries.length === 0) return Promise.resolve(okResult('No background processes in this session. Start one with start_background.', 'no background processes'));
  const now = Date.now();
  const lines = entries.map((entry) => {
    const unread = entry.output.end - Math.max(entry.readCursor, entry.output.start);
    const name = entry.name ? ` (${entry.name})` : '';
    return `${entry.id}${name} · ${entry.describeState(now)} · ${formatBytes(unread)} unread · in ${entry.cwd} · $ ${entry.command}`;
  });
  const running = entries.filter((entry) => entry.running).length;
  return Promise.resolve(okResult(lines.join('\n'), `${plural(entries.length, 'process', 'processes')}, ${running} running`));
};

/**
 * Implementation of `send_input {id, input, newline?}`. Input to a shell that reads its commands
 * from stdin (`bash`, `sh -s`...) is a command line, so the command policy decides on it first.
 */
export const sendInputImplementation: ToolImplementation<typeof sendInputParameters> = async (args, context, signal) => {
  const tool = 'send_input';
  const found = findProcess(context, tool, args.id);
  if (!found.ok) return found.result;
  const entry = found.value;
  if (!entry.running) {
    return errorResult(`${entry.label} has ${entry.describeState()}; it reads no more input. Start it again with start_background.`, `${entry.label} has ended`);
  }
  const data = args.input + (args.newline === false ? '' : '\n');
  const size = Buffer.byteLength(data);
  if (size > SEND_INPUT_MAX_BYTES) {
    return errorResult(`The input is ${formatBytes(size)}, more than the ${formatBytes(SEND_INPUT_MAX_BYTES)} send_input takes; write it to a file and let the process read the file.`);
  }
  if (readsCommandsFromStdin(entry.command)) {
    const gate = requireGate(context, tool);
    if (!gate.ok) return gate.result;
    // Judged where the process started; a `cd` typed earlier is not followed (the policy's rules
    // for paths then see the start folder, which errs towards the workspace).
    const allowed = await authorize(gate.value, { command: args.input, tool, cwd: path.resolve(context.workingDir, entry.cwd) }, signal);
    if (!allowed.ok) return allowed.result;
  }
  try {
    await entry.write(data);
  } catch (error) {
    return errorResult(`${entry.label} does not read input any more: its stdin is closed (${(error as Error).message}).`, 'stdin closed');
  }
  return okResult(
    `Sent ${formatBytes(size)} to the stdin of ${entry.label}. Read its answer with get_output (since_last: true) or wait_for_pattern.`,
    `sent ${formatBytes(size)} to ${entry.label}`,
  );
};

/** The process `ref` names in the session's table, or an error result listing the known ids. */
export function findProcess(context: ToolContext, tool: string, ref: string): Step<BackgroundProcess> {
  const table = requireTable(context, tool);
  if (!table.ok) return table;
  const entry = table.value.find(ref);
  if (entry) return { ok: true, value: entry };
  return { ok: false, result: errorResult(table.value.unknownMessage(ref), `no process ${ref}`) };
}

/** `\n\nLast output:\n...`, or a note that it printed nothing. */
export function lastOutput(entry: BackgroundProcess): string {
  const text = entry.output.tail(16 * 1024).text;
  if (text === '') return ' It printed no output.';
  return `\n\nLast output (up to ${LAST_LINES_SHOWN} lines):\n${lastLines(text, LAST_LINES_SHOWN)}`;
}
