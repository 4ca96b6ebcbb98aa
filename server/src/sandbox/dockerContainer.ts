/**
 * The session's container: its create options (the confinement), and the removal of
 * containers that earlier MOCO processes left behind.
 */
import { hostname } from 'node:os';
import type Docker from 'dockerode';
import { readOnlyMounts } from './protectedMounts';
import type { SandboxConfig } from './types';

/** Label on every sandbox container (value `1`). */
export const SANDBOX_LABEL = 'moco.sandbox';
/** Label: the session id. */
export const SESSION_LABEL = 'moco.session';
/** Label: `<hostname>:<pid>` of the MOCO process that created it, to tell orphans from live ones. */
export const OWNER_LABEL = 'moco.owner';

/** `<hostname>:<pid>` of this process. */
export function ownerId(): string {
  return `${hostname()}:${process.pid}`;
}

/** The `HOME` of commands in the container: on the tmpfs. */
export const CONTAINER_HOME = '/tmp';

/**
 * Create options: the sleeping init holds the container open, a command is an exec. No network
 * (`NetworkMode: 'none'` and `NetworkDisabled`, as podman ignores the latter alone), read-only
 * root, no capabilities, no-new-privileges, tmpfs /tmp, the workspace at its host path, the host
 * process's uid:gid, and the CPU / memory / pids limits of `config`.
 */
export function containerCreateOptions(config: SandboxConfig, name: string): Docker.ContainerCreateOptions {
  const uid = process.getuid?.() ?? 1000;
  const gid = process.getgid?.() ?? 1000;
  const memory = config.memoryMb * 1024 * 1024;
  return {
    name,
    Image: config.image,
    Entrypoint: ['sleep'],
    Cmd: ['2147483647'],
    User: `${uid}:${gid}`,
    WorkingDir: config.workspace,
    Labels: { [SANDBOX_LABEL]: '1', [SESSION_LABEL]: config.sessionId, [OWNER_LABEL]: ownerId() },
    NetworkDisabled: !config.network,
    HostConfig: {
      ...(config.network ? {} : { NetworkMode: 'none' }),
      Init: true,
      ReadonlyRootfs: true,
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
      Tmpfs: { '/tmp': 'rw,nosuid,size=64m,mode=1777' },
      // Mounts, not Binds strings: a `:` or `,` in a path would break those.
      Mounts: [
        { Type: 'bind', Source: config.workspace, Target: config.workspace, ReadOnly: false },
        ...readOnlyMounts(config.workspace).map((file) => ({ Type: 'bind' as const, Source: file, Target: file, ReadOnly: true })),
      ],
      NanoCpus: Math.round(config.cpus * 1e9),
      Memory: memory,
      MemorySwap: memory,
      PidsLimit: config.pidsLimit,
    },
  };
}

/** A container name for a session: Docker allows `[a-zA-Z0-9][a-zA-Z0-9_.-]*`. */
export function containerName(sessionId: string): string {
  const safe = sessionId.replace(/[^a-zA-Z0-9_.-]/g, '-').slice(0, 40);
  return `moco-sandbox-${safe}-${Math.random().toString(36).slice(2, 8)}`;
}

/** True when the owner label names a process of this host that is gone (or there is no label). */
function isOrphan(owner: string | undefined): boolean {
  if (!owner) return true;
  const at = owner.lastIndexOf(':');
  const host = owner.slice(0, at);
  const pid = Number(owner.slice(at + 1));
  if (host !== hostname() || !Number.isInteger(pid)) return false; // another machine's: not ours to judge
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Removes (force) the sandbox containers whose MOCO process is gone: label `moco.sandbox`, owner on
 * this host and no longer running. Containers of live MOCO processes (another window, the CLI)
 * stay. Call once at start-up; the drivers call it on their first connection to an engine.
 * @returns the ids removed.
 */
export async function removeOrphanContainers(docker: Docker): Promise<string[]> {
  const containers = await docker.listContainers({ all: true, filters: { label: [`${SANDBOX_LABEL}=1`] } });
  const orphans = containers.filter((info) => isOrphan(info.Labels?.[OWNER_LABEL]));
  await Promise.all(
    orphans.map(async (info) => {
      try {
        await docker.getContainer(info.Id).remove({ force: true });
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode !== 404) throw error;
      }
    }),
  );
  return orphans.map((info) => info.Id);
}
