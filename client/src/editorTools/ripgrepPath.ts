/**
 * The `rg` that VS Code ships, for the server's `ripgrep` tool (`ToolServices.ripgrepPath`). It
 * comes with VS Code's `@vscode/ripgrep` package, under `vscode.env.appRoot`: in
 * `node_modules/@vscode/ripgrep/bin/` in current builds, in `node_modules.asar.unpacked/...` in
 * builds that pack node_modules into an asar archive. No `vscode` import, so tests can run it.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';

/** Folders under the app root where VS Code keeps its node_modules, newest layout first. */
const MODULE_FOLDERS = ['node_modules', 'node_modules.asar.unpacked'];

/**
 * Absolute path of VS Code's `rg` (`rg.exe` on Windows), or undefined when neither layout has it
 * (then the server uses the system's `rg`, or its JavaScript search).
 *
 * @param appRoot `vscode.env.appRoot`.
 */
export function bundledRipgrepPath(appRoot: string, platform: NodeJS.Platform = process.platform): string | undefined {
  const binary = platform === 'win32' ? 'rg.exe' : 'rg';
  for (const folder of MODULE_FOLDERS) {
    const candidate = path.join(appRoot, folder, '@vscode', 'ripgrep', 'bin', binary);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}
