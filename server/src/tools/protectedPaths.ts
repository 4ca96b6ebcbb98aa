/**
 * Files that configure the agents' own limits: MCP servers (which start processes outside the
 * sandbox), the workspace's profiles and their policy rules, `.env` (provider settings,
 * `MOCO_REQUIRE_APPROVAL`), and `.git/` (hooks and `core.fsmonitor` run programs on the next
 * allowed `git status`). An agent could loosen its limits by writing them, so a write to one of
 * them always asks the user, whatever the profile and the session's approvals say.
 */
import { lstatSync, readlinkSync, realpathSync } from 'node:fs';
import * as path from 'node:path';
import picomatch from 'picomatch';

/** Globs, relative to the working directory (picomatch, with dot files). */
export const PROTECTED_PATHS: readonly string[] = ['.vscode/settings.json', '.vscode/mcp.json', '.mcp.json', '.moco/**', '.env', '.env.*', '.git/**'];

const isProtected = picomatch(PROTECTED_PATHS as string[], { dot: true, nocase: process.platform !== 'linux' });

/**
 * Whether a path argument names a protected file, as written or once its symbolic links are
 * resolved.
 * @param workingDir the working directory (absolute).
 * @param input the path as the model gave it (relative or absolute); `..` is resolved first.
 */
export function isProtectedPath(workingDir: string, input: string): boolean {
  const absolute = path.resolve(workingDir, input);
  return matches(workingDir, absolute) || matches(workingDir, realTarget(absolute));
}

function matches(workingDir: string, absolute: string): boolean {
  const relative = path.relative(workingDir, absolute);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return false;
  return isProtected(relative.split(path.sep).join('/'));
}

/**
 * Where a write to `absolute` lands: symbolic links of its existing part resolved (`x` linking to
 * `.mcp.json`, or `m/` to `.moco/`), the missing rest appended.
 */
function realTarget(absolute: string): string {
  const missing: string[] = [];
  let probe = absolute;
  for (let hops = 0; hops < 40; hops++) {
    try {
      return path.join(realpathSync(probe), ...missing);
    } catch {
      const link = danglingLink(probe);
      if (link !== undefined) {
        // A link whose target does not exist yet: a write creates the target.
        probe = path.resolve(path.dirname(probe), link);
        continue;
      }
      const parent = path.dirname(probe);
      if (parent === probe) return absolute;
      missing.unshift(path.basename(probe));
      probe = parent;
    }
  }
  return absolute;
}

function danglingLink(file: string): string | undefined {
  try {
    return lstatSync(file).isSymbolicLink() ? readlinkSync(file) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `needsApproval` of the writing tools: the reason to ask when `input` is protected, else false.
 */
export function protectedWrite(workingDir: string, input: string): string | false {
  if (!isProtectedPath(workingDir, input)) return false;
  return `${input} configures MOCO or git itself (MCP servers, profiles, policy, .env, git hooks and config): an agent could loosen its own limits by writing it, so each write asks you.`;
}
