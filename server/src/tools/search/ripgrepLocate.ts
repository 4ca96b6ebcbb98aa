/**
 * Which `rg` the `ripgrep` tool runs: the one the services name (VS Code's own, under
 * `vscode.env.appRoot`, found by the client), else the first `rg` on `PATH` (the CLI), else none
 * and the JavaScript search runs.
 */
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import * as path from 'node:path';

let systemRipgrep: Promise<string | undefined> | undefined;

/**
 * The first executable `rg` (`rg.exe` and the other `PATHEXT` names on Windows) in the folders of
 * `PATH`, looked for once per process and then remembered.
 */
export function findSystemRipgrep(): Promise<string | undefined> {
  systemRipgrep ??= findOnPath('rg', process.env.PATH ?? '', process.platform);
  return systemRipgrep;
}

/**
 * The first executable file named `command` in the folders of `searchPath` (a `PATH` value).
 * Never throws; undefined when none is found.
 */
export async function findOnPath(command: string, searchPath: string, platform: NodeJS.Platform = process.platform): Promise<string | undefined> {
  const names =
    platform === 'win32'
      ? (process.env.PATHEXT ?? '.EXE;.CMD;.BAT;.COM').split(';').filter(Boolean).map((extension) => command + extension.toLowerCase())
      : [command];
  const folders = searchPath.split(platform === 'win32' ? ';' : ':').filter((folder) => folder !== '' && path.isAbsolute(folder));
  for (const folder of folders) {
    for (const name of names) {
      const candidate = path.join(folder, name);
      if (await isExecutableFile(candidate)) return candidate;
    }
  }
  return undefined;
}

async function isExecutableFile(candidate: string): Promise<boolean> {
  try {
    if (!(await stat(candidate)).isFile()) return false;
    await access(candidate, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
