/** What `MOCO: Show Server Status` says, as plain functions (no `vscode` import: unit-tested). */
import type { ServerHealth } from '../../../protocol/server';

/** The lines `MOCO: Show Server Status` shows, one fact each. */
export function serverStatusLines(health: ServerHealth): string[] {
  return [
    `Version: ${health.version}`,
    `Uptime: ${formatDuration(health.uptimeMs)}`,
    `Process id: ${health.pid}`,
    `Node.js: ${health.nodeVersion}`,
    `Storage: ${health.storagePath}`,
    `Memory (RSS): ${(health.rssBytes / (1024 * 1024)).toFixed(1)} MB`,
  ];
}

/** `12 s`, `3 min 4 s`, `2 h 5 min` from milliseconds. */
export function formatDuration(ms: number): string {
  const totalSeconds = Math.floor(ms / 1000);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  if (hours > 0) return `${hours} h ${minutes} min`;
  if (minutes > 0) return `${minutes} min ${seconds} s`;
  return `${seconds} s`;
}
