/**
 * Definitions (name, description, argument schema) of the shell and process tools, with MOCO's
 * names: `execute_bash`, `start_background`, `stop_process`, `list_processes`, `send_input`,
 * `wait_for_pattern`, `get_output`. No argument lowers the command policy: every command goes
 * through the session's gate whatever the call says. Implementations: executeBashImpl.ts,
 * backgroundImpl.ts, outputImpl.ts.
 */
import { z } from 'zod';
import { formatBytes } from '../limits';
import type { ToolDefinition } from '../types';
import {
  EXEC_MAX_TIMEOUT_S,
  EXEC_SHOW_MAX_BYTES,
  GET_OUTPUT_MAX_BYTES,
  GET_OUTPUT_MAX_TAIL_LINES,
  MAX_RUNNING_PROCESSES,
  PROCESS_OUTPUT_BYTES,
  SEND_INPUT_MAX_BYTES,
  WAIT_DEFAULT_TIMEOUT_S,
  WAIT_MAX_TIMEOUT_S,
} from './limits';

const commandParameter = z.string().trim().min(1).describe('The shell command line, run with bash -c (sh -c where the sandbox has no bash).');
const workingDirParameter = z
  .string()
  .min(1)
  .optional()
  .describe('Folder to run in, relative to the working directory (or absolute inside it). Default: the working directory.');
const idParameter = z.string().trim().min(1).describe('The id start_background returned (for example "p1"), or the name given to it.');

/** Arguments of `execute_bash`. */
export const executeBashParameters = z.object({
  command: commandParameter,
  timeout: z
    .number()
    .positive()
    .max(EXEC_MAX_TIMEOUT_S)
    .optional()
    .describe(`Seconds before the command is killed, at most ${EXEC_MAX_TIMEOUT_S}. Default: the sandbox's timeout (usually 120).`),
  working_dir: workingDirParameter,
});

/** `execute_bash {command, timeout?, working_dir?}`. */
export const executeBashDefinition: ToolDefinition<typeof executeBashParameters> = {
  name: 'execute_bash',
  description:
    'Run a shell command to its end in the sandbox and return its exit code, stdout and stderr. ' +
    'Every command is checked by the command policy first and may be refused or need the user\'s approval. ' +
    'Stdin is empty: interactive commands get end-of-file. On timeout the command and every process it started are killed. ' +
    `At most ${formatBytes(EXEC_SHOW_MAX_BYTES)} of output is shown (the start and the end); redirect long output to a file and read it with read_file or grep. ` +
    'For servers, watchers and other commands that do not end, use start_background.',
  parameters: executeBashParameters,
};

/** Arguments of `start_background`. */
export const startBackgroundParameters = z.object({
  command: commandParameter,
  name: z.string().trim().min(1).max(64).optional().describe('A short name to recognise the process by, for example "dev-server".'),
  working_dir: workingDirParameter,
});

/** `start_background {command, name?, working_dir?}`. */
export const startBackgroundDefinition: ToolDefinition<typeof startBackgroundParameters> = {
  name: 'start_background',
  description:
    'Start a long-running command (a server, a watcher, a REPL) in the sandbox without waiting for it to end, and return its id (for example "p1"). ' +
    'The command policy checks it as for execute_bash. Its stdout and stderr are kept together, the last ' +
    `${formatBytes(PROCESS_OUTPUT_BYTES)}; read them with get_output, wait for a line with wait_for_pattern, type into it with send_input, end it with stop_process. ` +
    'Output goes to a pipe, not a terminal: a program that buffers its output then may print late (use stdbuf -oL, or a flag such as --line-buffered). ' +
    `At most ${MAX_RUNNING_PROCESSES} background processes run at once; they are killed when the session ends.`,
  parameters: startBackgroundParameters,
};

/** Arguments of `stop_process`. */
export const stopProcessParameters = z.object({ id: idParameter });

/** `stop_process {id}`. */
export const stopProcessDefinition: ToolDefinition<typeof stopProcessParameters> = {
  name: 'stop_process',
  description: 'Kill a background process and every process it started, and show its last output. Its output stays readable with get_output.',
  parameters: stopProcessParameters,
};

/** Arguments of `list_processes` (none). */
export const listProcessesParameters = z.object({});

/** `list_processes {}`. */
export const listProcessesDefinition: ToolDefinition<typeof listProcessesParameters> = {
  name: 'list_processes',
  description: 'List the background processes of this session: id, name, state (running, exited with its code, stopped), command, and unread output.',
  parameters: listProcessesParameters,
};

/** Arguments of `send_input`. */
export const sendInputParameters = z.object({
  id: idParameter,
  input: z.string().describe(`Text to write to the process's stdin (at most ${formatBytes(SEND_INPUT_MAX_BYTES)}).`),
  newline: z.boolean().optional().describe('Add a newline after the input, as pressing Enter does. Default true.'),
});

/** `send_input {id, input, newline?}`. */
export const sendInputDefinition: ToolDefinition<typeof sendInputParameters> = {
  name: 'send_input',
  description:
    'Write text to the stdin of a running background process, for example an answer to a prompt or a line for a REPL. ' +
    'The process sees a pipe, not a terminal. Read its answer with get_output or wait_for_pattern.',
  parameters: sendInputParameters,
};

/** Arguments of `wait_for_pattern`. */
export const waitForPatternParameters = z.object({
  id: idParameter,
  pattern: z
    .string()
    .min(1)
    .describe('A JavaScript regular expression, without slashes or flags. Case-sensitive; ^ and $ match at the start and end of each line.'),
  timeout: z
    .number()
    .positive()
    .max(WAIT_MAX_TIMEOUT_S)
    .optional()
    .describe(`Seconds to wait, at most ${WAIT_MAX_TIMEOUT_S}. Default ${WAIT_DEFAULT_TIMEOUT_S}.`),
});

/** `wait_for_pattern {id, pattern, timeout?}`. */
export const waitForPatternDefinition: ToolDefinition<typeof waitForPatternParameters> = {
  name: 'wait_for_pattern',
  description:
    'Wait until a background process prints text matching a regular expression (for example "listening on port [0-9]+"), ' +
    'checking the output it has printed already first. Ends when the pattern appears, when the process exits, or at the timeout, ' +
    'and says which; the process keeps running in every case.',
  parameters: waitForPatternParameters,
};

/** Arguments of `get_output`. */
export const getOutputParameters = z.object({
  id: idParameter,
  since_last: z
    .boolean()
    .optional()
    .describe('Only output printed since the last get_output of this process. Default false: the latest output kept.'),
  tail_lines: z
    .int()
    .min(1)
    .max(GET_OUTPUT_MAX_TAIL_LINES)
    .optional()
    .describe(`Only the last this many lines (of the new output, with since_last). At most ${GET_OUTPUT_MAX_TAIL_LINES}.`),
});

/** `get_output {id, since_last?, tail_lines?}`. */
export const getOutputDefinition: ToolDefinition<typeof getOutputParameters> = {
  name: 'get_output',
  description:
    'Read the output (stdout and stderr together, as printed) of a background process, and its state. ' +
    `At most ${formatBytes(GET_OUTPUT_MAX_BYTES)} per call; with since_last, call again to read on.`,
  parameters: getOutputParameters,
};
