/**
 * The `none` driver: the command runs on the host with `bash -c` (or `sh -c`), behind the command
 * policy and approval only. What it still contains: the host's environment is not passed (only
 * PATH, a private empty HOME, LANG, TERM and the caller's variables), the timeout and output cap,
 * and no process outlives its command (process group + run-token sweep). What it does NOT
 * contain: files outside the workspace, the network, CPU and memory: the policy is the
 * containment there.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { HostSandbox } from './hostSandbox';
import { hostShellPath } from './shells';
import type { Sandbox, SandboxConfig } from './types';

/**
 * Creates a `none` sandbox: a private HOME under the OS temp dir (removed by dispose()).
 * @param reason why this driver (auto selection: why neither Docker nor bubblewrap), put in the description.
 */
export async function createNoneSandbox(config: SandboxConfig, reason?: string): Promise<Sandbox> {
  const description = `none: ${reason ? `${reason}; ` : ''}commands run on the host behind the command policy only`;
  const home = await mkdtemp(path.join(tmpdir(), 'moco-home-'));
  const shell = hostShellPath();
  return new HostSandbox({
    kind: 'none',
    description,
    config,
    launcher: { launch: (command) => ({ file: shell, args: ['-c', command] }) },
    path: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    home,
    ownedDir: home,
  });
}
