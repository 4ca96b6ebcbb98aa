/**
 * Holds the server's engine: opened once `initialize` has found a usable storage folder, closed on
 * `shutdown`. Handlers reach the engine through {@link EngineHost.require}, which fails with a
 * clear wire error while there is none.
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ErrorCodes, ResponseError, type InitializeParams } from 'vscode-languageserver/node';
import { MocoEngine } from '../engine/engine';

/** The name of the SQLite file inside the storage folder. */
export const DATABASE_FILE_NAME = 'moco.db';

/** The folder of the bundled profiles: `profiles/` beside `dist/`. */
export function bundledProfilesDir(): string {
  return process.env.MOCO_BUNDLED_PROFILES_DIR ?? path.resolve(__dirname, '..', 'profiles');
}

/** The first workspace folder of `initialize`, as a path, when it is a `file:` URI. */
export function workspaceDir(params: InitializeParams): string | undefined {
  const uri = params.workspaceFolders?.[0]?.uri ?? params.rootUri ?? undefined;
  if (!uri?.startsWith('file:')) return undefined;
  return fileURLToPath(uri);
}

/** The engine of the server process, once it exists. */
export class EngineHost {
  private engine: MocoEngine | undefined;

  /** Opens the engine on `storagePath`. @throws {StorageError} when the database cannot be opened. */
  open(storagePath: string, defaultWorkingDir: string): MocoEngine {
    this.engine = MocoEngine.open({
      databaseFile: path.join(storagePath, DATABASE_FILE_NAME),
      bundledProfilesDir: bundledProfilesDir(),
      env: process.env,
      defaultWorkingDir,
    });
    return this.engine;
  }

  /** The engine. @throws {ResponseError} `ServerNotInitialized` before it is open. */
  require(): MocoEngine {
    if (!this.engine) throw new ResponseError(ErrorCodes.ServerNotInitialized, 'The MOCO server is not ready: it has no storage. See MOCO: Show Server Status.');
    return this.engine;
  }

  /** Cancels the runs and closes the database. */
  async close(): Promise<void> {
    const engine = this.engine;
    this.engine = undefined;
    await engine?.close();
  }
}
