/** The sandbox image: found locally, else pulled (with progress for the UI), else a clear error. */
import type Docker from 'dockerode';
import { SandboxError } from './types';

/** What the driver needs from the image. */
export interface ImageFacts {
  /** The image's `PATH` (from its `ENV`), or the usual Debian one. */
  path: string;
}

const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

interface PullEvent {
  id?: string;
  status?: string;
  progress?: string;
  error?: string;
  errorDetail?: { message?: string };
}

/**
 * Makes sure `image` is in the engine, pulling it when missing.
 * @param onProgress receives one line per pull event ("Pulling debian:bookworm-slim: 3f4ca61aafcd Downloading [==>  ] 1.2MB/29MB").
 * @throws {SandboxError} when it is missing and cannot be pulled (offline, no such image, no access).
 */
export async function ensureImage(docker: Docker, image: string, onProgress?: (message: string) => void, signal?: AbortSignal): Promise<ImageFacts> {
  const found = await inspectImage(docker, image);
  if (found) return found;
  onProgress?.(`Pulling ${image}…`);
  try {
    const stream = await docker.pull(image, signal ? { abortSignal: signal } : {});
    await new Promise<void>((resolve, reject) => {
      docker.modem.followProgress(
        stream,
        (error: Error | null, events: PullEvent[]) => {
          const failed = events?.find((event) => event.error);
          if (error) reject(error);
          else if (failed) reject(new Error(failed.errorDetail?.message ?? failed.error));
          else resolve();
        },
        (event: PullEvent) => {
          if (event.status) onProgress?.(`Pulling ${image}: ${[event.id, event.status, event.progress].filter(Boolean).join(' ')}`);
        },
      );
    });
  } catch (error) {
    signal?.throwIfAborted();
    throw missingImage(image, (error as Error).message);
  }
  const pulled = await inspectImage(docker, image);
  if (!pulled) throw missingImage(image, 'the pull ended but the image is not there');
  return pulled;
}

function missingImage(image: string, reason: string): SandboxError {
  const short = reason.split('\n')[0]?.replace(/^\(HTTP code \d+\) [a-z ]+ - /, '').trim();
  return new SandboxError(
    `The sandbox image ${image} is not available locally and could not be pulled (${short}). Pull or build it, or set moco.sandbox.image / --sandbox-image.`,
  );
}

async function inspectImage(docker: Docker, image: string): Promise<ImageFacts | undefined> {
  try {
    const info = await docker.getImage(image).inspect();
    const pathVar = info.Config?.Env?.find((entry) => entry.startsWith('PATH='));
    return { path: pathVar ? pathVar.slice('PATH='.length) : DEFAULT_PATH };
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return undefined;
    throw error;
  }
}
