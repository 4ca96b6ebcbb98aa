/**
 * `file_info {path}` (MOCO's name): what a path is without reading it whole. Definition here,
 * implementation in fileInfoImpl.ts.
 */
import { z } from 'zod';
import { fileInfoImplementation } from './fileInfoImpl';
import { FILE_INFO_LINE_COUNT_MAX_BYTES } from './fileInfoImpl';
import { formatBytes } from './limits';
import { guarded } from './results';
import type { Tool, ToolDefinition } from './types';

/** Arguments of `file_info`. */
export const fileInfoParameters = z.object({
  path: z.string().min(1).describe('Path of a file, folder or symbolic link, relative to the working directory (or absolute inside it).'),
});

/** `file_info {path}`. */
export const fileInfoDefinition: ToolDefinition<typeof fileInfoParameters> = {
  name: 'file_info',
  description:
    'Tell what a path of the working directory is without reading it: whether it exists, its type (file, folder, symbolic link and its target), ' +
    `size in bytes, text or binary, number of lines (text files up to ${formatBytes(FILE_INFO_LINE_COUNT_MAX_BYTES)}), last modification time, ` +
    'permissions, and for a folder the number of entries.',
  parameters: fileInfoParameters,
};

/** The `file_info` tool, its implementation wrapped by `guarded`. */
export function fileInfoTool(): Tool<typeof fileInfoParameters> {
  return { definition: fileInfoDefinition, implementation: guarded(fileInfoDefinition.name, fileInfoImplementation) };
}
