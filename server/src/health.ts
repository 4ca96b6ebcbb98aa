import type { ServerHealth } from '../../protocol/server';
import { mocoVersion } from './version';

/** What the server knows about itself once initialised. */
export interface ServerIdentity {
  /** Absolute path of the storage folder in use. */
  storagePath: string;
  /** When the process started (from `performance.timeOrigin`). */
  startedAt: Date;
}

/**
 * Builds the `server/health` answer from the live process: pid, Node version, uptime in ms,
 * resident memory in bytes.
 */
export function currentHealth(identity: ServerIdentity): ServerHealth {
  return {
    version: mocoVersion,
    pid: process.pid,
    nodeVersion: process.version,
    uptimeMs: Math.round(process.uptime() * 1000),
    startedAt: identity.startedAt.toISOString(),
    storagePath: identity.storagePath,
    rssBytes: process.memoryUsage.rss(),
  };
}
