/**
 * The environment and working directory every driver gives a command. The host's environment is
 * never passed through (API keys and tokens live there): a command sees only `PATH`, `HOME` (a
 * private, empty directory), `LANG`, `TERM`, the variables its caller gives, and
 * {@link RUN_TOKEN_VAR}, by which the drivers find the processes a command left behind.
 */
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { SandboxError, type SandboxConfig, type SpawnOptions } from './types';

/**
 * Name of the variable that marks every process of one command (inherited by its children, also
 * across `setsid` and `nohup`), so that leftovers can be found and killed after it ends. The
 * method of Jenkins' ProcessTreeKiller; a command that clears its environment escapes it, which
 * the process group, bubblewrap's PID namespace and the Docker container still catch.
 */
export const RUN_TOKEN_VAR = 'MOCO_SANDBOX_RUN';

/** A fresh token for {@link RUN_TOKEN_VAR}: 24 hex characters. */
export function newRunToken(): string {
  return randomBytes(12).toString('hex');
}

/** `TERM` of every command: no colours or cursor control in output read by a model. */
export const SANDBOX_TERM = 'dumb';

/**
 * The environment of one command.
 * @param base `PATH` and `HOME` as the driver sees them (host PATH for `none`, `/bin...` in an image).
 * @param extra the caller's variables (they win over the base, not over the token).
 * @param token this command's {@link RUN_TOKEN_VAR} value.
 */
export function commandEnv(
  base: { PATH: string; HOME: string; LANG?: string },
  extra: Record<string, string> | undefined,
  token: string,
): Record<string, string> {
  return {
    PATH: base.PATH,
    HOME: base.HOME,
    LANG: base.LANG ?? 'C.UTF-8',
    TERM: SANDBOX_TERM,
    ...extra,
    [RUN_TOKEN_VAR]: token,
  };
}

/**
 * The absolute working directory of a command: `cwd` resolved against the workspace; it must lie
 * inside the workspace.
 * @throws {SandboxError} when it is outside the workspace.
 */
export function resolveCwd(config: SandboxConfig, options: SpawnOptions): string {
  const cwd = path.resolve(config.workspace, options.cwd ?? '.');
  const rel = path.relative(config.workspace, cwd);
  if (rel.startsWith('..') || path.isAbsolute(rel)) {
    throw new SandboxError(
      `The working directory ${cwd} is outside the workspace ${config.workspace}: commands run inside the workspace only. Give a directory inside it.`,
    );
  }
  return cwd;
}
