/**
 * Holds the server's engine. It is loaded on the first request that needs it: the engine, with
 * the `openai` SDK, zod, the YAML parser and the rest, is its own bundle (`dist/engine.js`), so
 * that starting the server stays fast and small (see `npm run bench:startup`). The storage folder
 * is checked at `initialize`; a database that cannot be opened fails the request with
 * `StorageUnavailable` and is tried again on the next one.
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ErrorCodes, ResponseError, type InitializeParams } from 'vscode-languageserver/node';
import type { RunEvent } from '../../../protocol/run';
import type { MocoEngine } from '../engine/engine';
import { bundledProfilesDir } from '../profiles/bundled';

/** The name of the SQLite file inside the storage folder. */
export const DATABASE_FILE_NAME = 'moco.db';

/** The first workspace folder of `initialize`, as a path, when it is a `file:` URI. */
export function workspaceDir(params: InitializeParams): string | undefined {
  const uri = params.workspaceFolders?.[0]?.uri ?? params.rootUri ?? undefined;
  if (!uri?.startsWith('file:')) return undefined;
  return fileURLToPath(uri);
}

/** The engine of the server process, once it exists. */
export class EngineHost {
  private settings: { storagePath: string; defaultWorkingDir: string } | undefined;
  private engine: Promise<MocoEngine> | undefined;

  /** @param onEvents receives every stored event batch of the engine, once it is loaded. */
  constructor(private readonly onEvents: (sessionId: string, events: RunEvent[]) => void) {}

  /** Says where the engine keeps its database; it is opened on first use. */
  open(storagePath: string, defaultWorkingDir: string): void {
    this.settings = { storagePath, defaultWorkingDir };
  }

  /**
   * The engine, loaded on first use.
   * @throws {ResponseError} `ServerNotInitialized` before `initialize`; {@link StorageError} when
   *   the database cannot be opened.
   */
  require(): Promise<MocoEngine> {
    const settings = this.settings;
    if (!settings) {
      return Promise.reject(new ResponseError(ErrorCodes.ServerNotInitialized, 'The MOCO server is not ready: it has no storage. See MOCO: Show Server Status.'));
    }
    this.engine ??= import('../engine/index').then(({ openEngine }) => {
      const engine = openEngine({
        databaseFile: path.join(settings.storagePath, DATABASE_FILE_NAME),
        bundledProfilesDir: bundledProfilesDir(),
        env: process.env,
        defaultWorkingDir: settings.defaultWorkingDir,
        onEvents: this.onEvents,
      });
      return engine;
    });
    // A failure (a database it cannot open) is not kept: the next request tries again.
    this.engine.catch(() => (this.engine = undefined));
    return this.engine;
  }

  /** Cancels the runs and closes the database. */
  async close(): Promise<void> {
    this.settings = undefined;
    const engine = await this.engine?.catch(() => undefined);
    this.engine = undefined;
    await engine?.close();
  }
}
