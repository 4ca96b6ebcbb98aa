/**
 * Definitions (name, description, argument schema) of the file tools `read_file`, `write_file`
 * and `edit_file`, with MOCO's names and parameters. Implementations: readFileImpl.ts,
 * writeFileImpl.ts, editFileImpl.ts.
 */
import { z } from 'zod';
import { EDIT_MAX_BYTES, formatBytes, READ_MAX_BYTES, READ_MAX_LINES, WRITE_MAX_BYTES } from './limits';
import { protectedWrite } from './protectedPaths';
import type { ToolDefinition } from './types';

const pathParameter = z.string().min(1).describe('Path of the file, relative to the working directory (or absolute inside it).');

/** Arguments of `read_file`. */
export const readFileParameters = z.object({
  path: pathParameter,
  offset: z.int().min(1).optional().describe('Line number to start reading at (1 = the first line). Default 1.'),
  limit: z
    .int()
    .min(1)
    .optional()
    .describe(`How many lines to read. Default and maximum ${READ_MAX_LINES}.`),
});

/** `read_file {path, offset?, limit?}`. */
export const readFileDefinition: ToolDefinition<typeof readFileParameters> = {
  name: 'read_file',
  description:
    'Read a text file of the working directory. Lines come back numbered (line number, a tab, the text). ' +
    `At most ${READ_MAX_LINES} lines or ${formatBytes(READ_MAX_BYTES)} per call; when more remain, a note at the end ` +
    'says which offset to read next. Binary files are refused.',
  parameters: readFileParameters,
};

/** Arguments of `write_file`. */
export const writeFileParameters = z.object({
  path: pathParameter,
  content: z.string().describe('The complete new content of the file.'),
});

/** `write_file {path, content}`. */
export const writeFileDefinition: ToolDefinition<typeof writeFileParameters> = {
  name: 'write_file',
  description:
    'Create a file, or replace the whole content of an existing one, in the working directory. ' +
    `Missing parent folders are created. Content up to ${formatBytes(WRITE_MAX_BYTES)}. ` +
    'To change part of an existing file, prefer edit_file.',
  parameters: writeFileParameters,
  needsApproval: (args, context) => protectedWrite(context.workingDir, args.path),
};

/** Arguments of `edit_file`. */
export const editFileParameters = z.object({
  path: pathParameter,
  old_string: z.string().describe('The exact text to replace, including whitespace and indentation, as read_file shows it (without the line numbers).'),
  new_string: z.string().describe('The text to put in its place.'),
  replace_all: z.boolean().optional().describe('Replace every occurrence of old_string. Default false: old_string must then occur exactly once.'),
});

/** `edit_file {path, old_string, new_string, replace_all?}`. */
export const editFileDefinition: ToolDefinition<typeof editFileParameters> = {
  name: 'edit_file',
  description:
    'Replace an exact piece of text in an existing text file. old_string must match the file exactly and occur once, ' +
    'unless replace_all is true; include a few surrounding lines to make it unique. ' +
    `Files up to ${formatBytes(EDIT_MAX_BYTES)}; binary files are refused.`,
  parameters: editFileParameters,
  needsApproval: (args, context) => protectedWrite(context.workingDir, args.path),
};
