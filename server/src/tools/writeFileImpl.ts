/** `write_file`: the whole content of a file, written atomically (atomicWrite.ts). */
import { stat } from 'node:fs/promises';
import { writeTextAtomic } from './atomicWrite';
import { withFileLock } from './fileLocks';
import type { writeFileParameters } from './fileTools';
import { formatBytes, plural, WRITE_MAX_BYTES } from './limits';
import { errorResult, okResult } from './results';
import type { ToolImplementation } from './types';
import { resolveWorkspacePath } from './workspacePath';

/** Implementation of `write_file {path, content}`. Content over {@link WRITE_MAX_BYTES} is refused. */
export const writeFileImplementation: ToolImplementation<typeof writeFileParameters> = async (args, context, signal) => {
  const bytes = Buffer.byteLength(args.content, 'utf8');
  if (bytes > WRITE_MAX_BYTES) {
    return errorResult(
      `content is ${formatBytes(bytes)}, more than write_file accepts (${formatBytes(WRITE_MAX_BYTES)}); ` +
        'split it into several smaller files, or write a first part and add the rest with edit_file',
    );
  }
  const target = await resolveWorkspacePath(context.workingDir, args.path, { allowMissing: true });
  if (!target.ok) return errorResult(target.message);
  if (target.exists) {
    const stats = await stat(target.real);
    if (stats.isDirectory()) return errorResult(`${target.display} is a folder; give the path of a file inside it`);
    if (!stats.isFile()) return errorResult(`${target.display} is not a regular file (a device, socket or pipe); write to another path`);
  }
  // After any edit_file of a parallel agent in progress on this file, not in the middle of it.
  await withFileLock(target.real, () => writeTextAtomic(target.real, args.content, signal));
  const lines = args.content === '' ? 0 : args.content.split('\n').length - (args.content.endsWith('\n') ? 1 : 0);
  const verb = target.exists ? 'Replaced the content of' : 'Created';
  return okResult(`${verb} ${target.display}: ${plural(lines, 'line')}, ${formatBytes(bytes)}.`, `wrote ${formatBytes(bytes)} to ${target.display}`);
};
