/** Which shell runs a command line on the host: `bash` when it is on PATH, else `sh`. */
import { accessSync, constants } from 'node:fs';
import * as path from 'node:path';

/** Absolute path of `name` in the directories of `searchPath`, or undefined. */
export function findOnPath(name: string, searchPath = process.env.PATH ?? ''): string | undefined {
  for (const dir of searchPath.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

let hostShell: string | undefined;

/** The host's shell for `-c`: bash if found on PATH (cached), else `/bin/sh`. */
export function hostShellPath(): string {
  hostShell ??= findOnPath('bash') ?? '/bin/sh';
  return hostShell;
}
