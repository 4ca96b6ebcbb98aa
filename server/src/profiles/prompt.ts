/**
 * An agent's system prompt as sent to the model: its Markdown body with `{{CURRENT_DATETIME}}`
 * replaced (MOCO's placeholder) and the workspace's project memory (`MOCO.md`, else `AGENTS.md`)
 * appended.
 */
import { open, type FileHandle } from 'node:fs/promises';
import * as path from 'node:path';
import type { AgentConfig } from './types';

/** MOCO's placeholder for the current date and time in agent prompts. */
export const CURRENT_DATETIME_PLACEHOLDER = '{{CURRENT_DATETIME}}';

/** Files read as project memory, in order of preference, at the workspace root. */
export const PROJECT_MEMORY_FILES = ['MOCO.md', 'AGENTS.md'] as const;

/** Bytes of project memory kept (64 KiB); the rest is cut with a note. */
export const PROJECT_MEMORY_MAX_BYTES = 64 * 1024;

/** The heading under which project memory is appended to a system prompt. */
export const PROJECT_MEMORY_HEADING = '# Project memory';

/**
 * Formats `now` as `YYYY-MM-DD HH:mm:ss (<IANA zone>, UTC±hh:mm)`, for example
 * `2026-11-21 14:03:05 (Asia/Tokyo, UTC+09:00)`.
 *
 * @param timeZone an IANA zone; by default the process's local zone.
 */
export function formatDateTime(now: Date, timeZone?: string): string {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'longOffset',
  });
  const parts = Object.fromEntries(format.formatToParts(now).map((p) => [p.type, p.value]));
  const zone = format.resolvedOptions().timeZone;
  const offset = (parts.timeZoneName ?? 'GMT').replace(/^GMT$/, 'GMT+00:00').replace(/^GMT/, 'UTC');
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second} (${zone}, ${offset})`;
}

/**
 * The system prompt of `agent`: every `{{CURRENT_DATETIME}}` replaced by {@link formatDateTime}, and
 * `projectMemory` (when not blank) appended under {@link PROJECT_MEMORY_HEADING}.
 *
 * @param options.now the time to show; `timeZone` defaults to the process's local zone.
 */
export function renderSystemPrompt(
  agent: AgentConfig,
  options: { now: Date; projectMemory?: string; timeZone?: string },
): string {
  const prompt = agent.systemPrompt.replaceAll(CURRENT_DATETIME_PLACEHOLDER, formatDateTime(options.now, options.timeZone));
  const memory = options.projectMemory?.trim();
  if (!memory) return prompt;
  return `${prompt}\n\n${PROJECT_MEMORY_HEADING}\n\nInstructions and notes from this project's maintainers:\n\n${memory}`;
}

/**
 * Reads the project memory of `workingDir`: `MOCO.md`, else `AGENTS.md`, at its root (a blank file
 * counts as absent). At most {@link PROJECT_MEMORY_MAX_BYTES} bytes are kept; a longer file is cut
 * on a character boundary and a note saying so is added.
 *
 * @returns the text, or `undefined` when neither file exists.
 * @throws {Error} naming the file when one exists but cannot be read (permissions, I/O).
 */
export async function readProjectMemory(workingDir: string): Promise<string | undefined> {
  for (const name of PROJECT_MEMORY_FILES) {
    const text = await readCapped(path.join(workingDir, name));
    if (text !== undefined && text.trim() !== '') return text;
  }
  return undefined;
}

async function readCapped(file: string): Promise<string | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new Error(`Cannot read the project memory file ${file} (${code ?? String(error)}). Make it readable, or remove it.`, {
      cause: error,
    });
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) return undefined;
    const buffer = Buffer.alloc(Math.min(stats.size, PROJECT_MEMORY_MAX_BYTES));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const text = new TextDecoder('utf-8').decode(buffer.subarray(0, bytesRead)).replace(/^\uFEFF/, '');
    if (stats.size <= PROJECT_MEMORY_MAX_BYTES) return text;
    const kept = text.replace(/\uFFFD$/, ''); // a character cut in half at the limit
    return (
      `${kept}\n\n[${path.basename(file)} is ${stats.size} bytes; only its first ${PROJECT_MEMORY_MAX_BYTES} bytes ` +
      'are included here. Keep it shorter so all of it reaches the agents.]'
    );
  } finally {
    await handle.close();
  }
}
