/**
 * The sandbox tests' image, built offline (no registry here): the host's static busybox
 * (Debian's busybox-static) in an empty root with a link per applet, imported as one layer with
 * `ENV PATH=/bin`. About 2 MB and 0.2 s (../shared/ENVIRONMENT.md).
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type Docker from 'dockerode';

/** The tag the tests use. */
export const SANDBOX_TEST_IMAGE = 'local/sandbox:busybox';

/**
 * Builds {@link SANDBOX_TEST_IMAGE} (or `tag`) in the engine from `/bin/busybox`.
 * @throws {Error} when busybox is missing or not static (apt-get install busybox-static), or the
 *   import fails.
 */
export async function buildSandboxImage(docker: Docker, tag = SANDBOX_TEST_IMAGE, busybox = '/bin/busybox'): Promise<string> {
  const list = spawnSync(busybox, ['--list'], { encoding: 'utf8' });
  if (list.error || list.status !== 0) {
    throw new Error(`The sandbox test image needs ${busybox} (apt-get install busybox-static): ${list.error?.message ?? list.stderr}`);
  }
  const ldd = spawnSync('ldd', [busybox], { encoding: 'utf8' });
  if (ldd.status === 0 && !/not a dynamic executable|statically linked/.test(ldd.stdout + ldd.stderr)) {
    throw new Error(`${busybox} is dynamically linked; the sandbox test image needs the static one: apt-get install busybox-static.`);
  }
  const root = await mkdtemp(path.join(tmpdir(), 'moco-rootfs-'));
  try {
    await mkdir(path.join(root, 'bin'));
    await mkdir(path.join(root, 'tmp'));
    await copyFile(busybox, path.join(root, 'bin', 'busybox'));
    const applets = list.stdout.split('\n').filter((name) => name && name !== 'busybox');
    await Promise.all(applets.map((name) => symlink('busybox', path.join(root, 'bin', name))));
    const tar = spawn('tar', ['-C', root, '-c', '.'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const stream = await docker.importImage(tar.stdout, { repo: tag.split(':')[0], tag: tag.split(':')[1] ?? 'latest', changes: ['ENV PATH=/bin'] });
    await new Promise<void>((resolve, reject) => docker.modem.followProgress(stream, (error) => (error ? reject(error) : resolve())));
    return tag;
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
