/**
 * The workspace's files that configure MOCO (its MCP servers, profiles and policy, `.vscode/`
 * settings, `.env` with provider settings): mounted read-only inside the `docker` and
 * `bubblewrap` sandboxes, so that no command, approved or not, can loosen the agents' own limits
 * or make MOCO start a program on the host. The file tools ask before writing them
 * (tools/protectedPaths.ts); `.git/` stays writable, for git itself.
 */
import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';

/** Names at the workspace root that are mounted read-only when they exist. */
export const READ_ONLY_NAMES: readonly string[] = ['.mcp.json', '.vscode', '.moco'];

/** Absolute paths to mount read-only: those of {@link READ_ONLY_NAMES} that exist, and every `.env` / `.env.*` at the root. */
export function readOnlyMounts(workspace: string): string[] {
  const fixed = READ_ONLY_NAMES.map((name) => path.join(workspace, name)).filter((file) => existsSync(file));
  let envFiles: string[] = [];
  try {
    envFiles = readdirSync(workspace)
      .filter((name) => /^\.env(\..+)?$/.test(name))
      .map((name) => path.join(workspace, name));
  } catch {
    // An unreadable workspace fails later, with the command.
  }
  return [...fixed, ...envFiles];
}
