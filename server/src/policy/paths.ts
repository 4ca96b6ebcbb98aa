/**
 * Where a path argument points, and whether it is one of the places whose loss is a disaster:
 * the root file system, a top-level system folder, the home folder (or a folder above it), the
 * workspace root (or a folder above it). Relative paths are resolved against every working
 * directory the command may run in (see `SimpleCommand.cwds`).
 */
import * as path from 'node:path';
import type { SimpleCommand } from './simpleCommand';
import type { Word } from './words';

/** What a destructive command would destroy. */
export type Critical = 'root' | 'system' | 'home' | 'workspace';

/** Words for each {@link Critical}, for reasons. */
export const CRITICAL_WORDS: Record<Critical, string> = {
  root: 'the root file system',
  system: 'a top-level system folder',
  home: 'your home folder',
  workspace: 'the workspace',
};

/** How sure it is that a command's targets include critical places. */
export interface TargetRisk {
  /** Critical places of targets that are critical in every working directory the command may run in. */
  certain: Set<Critical>;
  /** A target may be critical: in some working directory only, or its value cannot be known. */
  possible: boolean;
}

/** A path after `~`, `$HOME` and `..` are resolved; `undefined` for each working directory that is unknown. */
export function resolvePaths(value: string, cwds: readonly (string | undefined)[]): (string | undefined)[] {
  if (path.posix.isAbsolute(value)) return [path.posix.normalize(value)];
  return cwds.map((cwd) => (cwd === undefined ? undefined : path.posix.resolve(cwd, value)));
}

/** True when `ancestor` is `target` or a folder above it. */
export function containsPath(ancestor: string, target: string): boolean {
  return ancestor === target || ancestor === '/' || target.startsWith(`${ancestor}/`);
}

/**
 * The critical place deleting `target` destroys: the place itself, a folder above it, or (for a
 * glob such as `dir/*` or `dir/.*`) everything in it.
 */
export function criticalPlace(target: string, glob: boolean, command: Pick<SimpleCommand, 'home' | 'workspaceRoot'>): Critical | undefined {
  const normal = target.length > 1 ? target.replace(/\/+$/, '') : target;
  if (!glob || !/[*?[]/.test(normal)) return criticalFolder(normal, command);
  const parts = normal.split('/');
  const at = parts.findIndex((part) => /[*?[]/.test(part));
  const folder = parts.slice(0, at).join('/') || '/';
  const part = parts[at] ?? '';
  const everything = at === parts.length - 1 && /^\.?[*?]+$/.test(part);
  // Emptying /tmp loses temporary files only; deleting /tmp itself is still critical.
  if (everything) return folder === '/tmp' ? undefined : criticalFolder(folder, command);
  return folder === '/' ? 'system' : undefined;
}

function criticalFolder(folder: string, command: Pick<SimpleCommand, 'home' | 'workspaceRoot'>): Critical | undefined {
  if (folder === '/') return 'root';
  if (command.home !== undefined && containsPath(folder, command.home)) return 'home';
  // Any user's home folder (`~ada`, `/home/ada`, `/root`).
  if (/^\/home\/[^/]+$/.test(folder) || folder === '/root') return 'home';
  if (containsPath(folder, command.workspaceRoot)) return 'workspace';
  if (folder.split('/').filter(Boolean).length === 1) return 'system';
  return undefined;
}

/**
 * How sure it is that deleting (moving, chmod-ing) `targets` reaches one of `kinds`. A target with
 * an unknown value is `possible`; a relative `.`/`..`/`*`-like target in an unknown working
 * directory too. A plain relative name (`build`) in an unknown directory is not counted.
 */
export function targetRisk(targets: readonly Word[], command: SimpleCommand, kinds: readonly Critical[]): TargetRisk {
  const risk: TargetRisk = { certain: new Set(), possible: false };
  for (const target of targets) {
    if (target.value === undefined) {
      risk.possible = true;
      continue;
    }
    if (target.value === '') continue;
    const places = resolvePaths(target.value, command.cwds).map((resolved) => {
      if (resolved === undefined) return climbsOrCoversCwd(target.value ?? '') ? 'unknown' : undefined;
      const place = criticalPlace(resolved, target.glob, command);
      return place !== undefined && kinds.includes(place) ? place : undefined;
    });
    const critical = places.filter((place): place is Critical => place !== undefined && place !== 'unknown');
    if (critical.length === places.length) for (const place of critical) risk.certain.add(place);
    else if (places.some((place) => place !== undefined)) risk.possible = true;
  }
  return risk;
}

/** `.`, `..`, `../x`, `*`, `./*`: a relative target that is, or is above, or is all of its directory. */
function climbsOrCoversCwd(value: string): boolean {
  const normal = path.posix.normalize(value);
  return normal === '.' || normal.startsWith('..') || /^(\.\/)?\.?[*?]+\/?$/.test(value);
}

/** Block devices and kernel memory: writing to them destroys a disk or the running system. */
export function isDevice(target: string): boolean {
  return /^\/dev\/(sd|hd|vd|xvd|nvme|mmcblk|disk|rdisk|dm-|md\d|loop|sr\d|nbd|zd|bcache|mapper\/|fd\d|mem$|kmem$|port$)/.test(path.posix.normalize(target));
}

/** Devices that are fine to write to (`/dev/null`, the terminal, descriptors). */
export function isHarmlessDevice(target: string): boolean {
  return /^\/dev\/(null|zero|full|stdout|stderr|stdin|tty|fd\/\d+|pts\/\d+|ptmx|random|urandom|shm\/.*)$/.test(path.posix.normalize(target));
}

/** Paths of credentials under the home folder, and elsewhere. */
const HOME_SECRETS = ['.ssh', '.aws', '.gnupg', '.netrc', '.git-credentials', '.docker/config.json', '.kube', '.config/gh', '.npmrc', '.pypirc', '.config/gcloud', '.azure', '.password-store', '.vault-token'];
const SYSTEM_SECRETS = ['/etc/shadow', '/etc/gshadow', '/etc/sudoers', '/root', '/var/run/secrets', '/run/secrets'];

/** True when `resolved` is a credential file or inside a credentials folder (or a process's environment). */
export function isSecretPath(resolved: string, home: string | undefined): boolean {
  if (/^\/proc\/[^/]+\/environ$/.test(resolved)) return true;
  if (SYSTEM_SECRETS.some((secret) => containsPath(secret, resolved))) return true;
  return home !== undefined && HOME_SECRETS.some((secret) => containsPath(`${home}/${secret}`, resolved));
}
