/**
 * The `bubblewrap` driver (Linux without Docker): each command in its own `bwrap` with the host's
 * root read-only, the workspace read-write at the same path, tmpfs over /tmp, /run, /root, /home
 * and the user's HOME, new namespaces (no network unless `config.network`), no capabilities and a
 * clean environment. Killing bwrap's process group ends the PID namespace and so every process of
 * the command. Recipe measured in ../shared/ENVIRONMENT.md "bubblewrap".
 *
 * Not contained: CPU and memory (bubblewrap has no limits: the timeout and output cap are kept in
 * Node); the pids limit is `ulimit -u` inside, which the kernel enforces only when MOCO does not
 * run as root (measured: root's processes are exempt from RLIMIT_NPROC); other Unix sockets on the
 * host than the ones masked here stay reachable through the read-only root.
 */
import { execFile } from 'node:child_process';
import { existsSync, lstatSync } from 'node:fs';
import { homedir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { dockerSocketCandidates } from './dockerSocket';
import { HostSandbox } from './hostSandbox';
import { hostShellPath } from './shells';
import { readOnlyMounts } from './protectedMounts';
import { SandboxError, type Sandbox, type SandboxConfig } from './types';

const execFileP = promisify(execFile);

/** Options of {@link createBubblewrapSandbox}. */
export interface BubblewrapOptions {
  /** The bwrap executable (default `bwrap` on PATH). */
  bwrapPath?: string;
  /** More host paths hidden inside the sandbox (for example a Docker socket somewhere unusual). */
  maskPaths?: string[];
  /** Why this driver was chosen (auto selection: "no Docker engine answered (…)"), put in the description. */
  reason?: string;
}

/** True when MOCO runs as root, where `ulimit -u` inside bwrap is not enforced. */
function runningAsRoot(): boolean {
  return process.getuid?.() === 0;
}

/**
 * Checks that bwrap can make its namespaces here (`bwrap ... true` with the flags commands use).
 * @returns undefined when it works, else why not (missing, user namespaces off...).
 */
export async function probeBubblewrap(bwrapPath = 'bwrap'): Promise<string | undefined> {
  if (process.platform !== 'linux') return `bubblewrap needs Linux (this is ${process.platform})`;
  try {
    await execFileP(bwrapPath, ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--unshare-all', '--die-with-parent', '--new-session', '--cap-drop', 'ALL', 'true'], { timeout: 5000 });
    return undefined;
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') return `${bwrapPath} is not installed (apt-get install bubblewrap)`;
    return `${bwrapPath} failed: ${(e.stderr ?? e.message).trim().split('\n')[0]}`;
  }
}

/** Host paths of the Docker/podman sockets outside /run (a tmpfs already), hidden from commands (the Docker socket is root). */
function maskedPaths(extra: string[]): string[] {
  return [...new Set([...dockerSocketCandidates(), ...extra])].filter((p) => path.isAbsolute(p) && !p.startsWith('/run/') && !p.startsWith('/var/run/'));
}

/** A directory that is not a symlink (/var/run is one to /run on Debian: covered by /run's tmpfs). */
function isRealDir(dir: string): boolean {
  try {
    return lstatSync(dir).isDirectory();
  } catch {
    return false;
  }
}

/** The bwrap arguments before the command (exported for the tests' reading, not for callers). */
export function bwrapArgs(config: SandboxConfig, home: string, cwd: string, env: Record<string, string>, masks: string[]): string[] {
  const args = ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc'];
  for (const dir of new Set(['/tmp', '/run', '/var/run', '/root', '/home', home])) if (isRealDir(dir)) args.push('--tmpfs', dir);
  for (const mask of masks) if (existsSync(mask)) args.push('--ro-bind', '/dev/null', mask);
  args.push('--bind', config.workspace, config.workspace);
  for (const file of readOnlyMounts(config.workspace)) args.push('--ro-bind', file, file);
  args.push('--unshare-all');
  if (config.network) args.push('--share-net');
  args.push('--die-with-parent', '--new-session', '--cap-drop', 'ALL', '--clearenv');
  for (const [name, value] of Object.entries(env)) args.push('--setenv', name, value);
  args.push('--chdir', cwd);
  return args;
}

/**
 * Creates a `bubblewrap` sandbox after checking that bwrap works.
 * @throws {SandboxError} when bwrap is missing or cannot create its namespaces.
 */
export async function createBubblewrapSandbox(config: SandboxConfig, options: BubblewrapOptions = {}): Promise<Sandbox> {
  const bwrap = options.bwrapPath ?? 'bwrap';
  const problem = await probeBubblewrap(bwrap);
  if (problem) {
    throw new SandboxError(`The bubblewrap sandbox is not available: ${problem}. Install bubblewrap, or set moco.sandbox.mode / --sandbox to docker or none.`);
  }
  const home = homedir() && homedir() !== '/' ? homedir() : '/tmp';
  const masks = maskedPaths(options.maskPaths ?? []);
  const shell = hostShellPath();
  const pids = runningAsRoot()
    ? 'no pids limit (running as root, where the kernel does not enforce ulimit -u)'
    : `at most ${config.pidsLimit} processes`;
  const details = `read-only host, workspace writable, ${config.network ? 'network allowed' : 'no network'}, ${pids}`;
  const description = `bubblewrap: ${options.reason ? `${options.reason}; ` : ''}${details}`;
  return new HostSandbox({
    kind: 'bubblewrap',
    description,
    config,
    path: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    home,
    launcher: {
      launch: (command, cwd, env) => ({
        file: bwrap,
        args: [...bwrapArgs(config, home, cwd, env, masks), '--', shell, '-c', `ulimit -u ${config.pidsLimit} 2>/dev/null\n${command}`],
      }),
    },
  });
}
