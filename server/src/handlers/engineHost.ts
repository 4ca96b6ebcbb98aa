/**
 * Holds the server's engine and its background tasks. They are loaded on the first request that
 * needs them: the engine, with the `openai` SDK, zod, the YAML parser and the rest, is its own
 * bundle (`dist/engine.js`), so that starting the server stays fast and small (see
 * `npm run bench:startup`). The storage folder is checked at `initialize`; a database that cannot
 * be opened fails the request with `StorageUnavailable` and is tried again on the next one.
 */
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ErrorCodes, ResponseError, type InitializeParams } from 'vscode-languageserver/node';
import type { RunEvent } from '../../../protocol/run';
import type { TaskSummary } from '../../../protocol/tasks';
import type { MocoEngine } from '../engine/engine';
import type * as EngineIndex from '../engine/index';
import type { TaskService } from '../tasks/taskService';
import type { LmChatFunction } from '../providers/lmBridgeProvider';
import type { CredentialSource } from '../providers/runEnv';
import type { McpServerStatus } from '../../../protocol/mcp';
import type { ToolSettings } from '../../../protocol/settings';
import type { Connection } from 'vscode-languageserver/node';
import { bundledProfilesDir } from '../profiles/bundled';

/** The name of the SQLite file inside the storage folder. */
export const DATABASE_FILE_NAME = 'moco.db';

/** The folder of the task logs inside the storage folder (taskProcess.ts `taskLogFile`). */
const TASKS_FOLDER = 'tasks';

/** The first workspace folder of `initialize`, as a path, when it is a `file:` URI. */
export function workspaceDir(params: InitializeParams): string | undefined {
  const uri = params.workspaceFolders?.[0]?.uri ?? params.rootUri ?? undefined;
  if (!uri?.startsWith('file:')) return undefined;
  return fileURLToPath(uri);
}

/** What the host tells the client, and asks it. */
export interface EngineHostOptions {
  /** Every stored event batch: the engine's own, and those of tasks in other processes. */
  onEvents: (sessionId: string, events: RunEvent[]) => void;
  /** A background task started, progressed or ended. */
  onTaskChange: (task: TaskSummary) => void;
  /** Logs a line for the user's output channel (never a key). */
  log: (message: string) => void;
  /** The editor's API keys (`secrets/get`). */
  credentials?: CredentialSource;
  /** Calls a `vscode.lm` model (`lm/chat`). */
  lmChat?: LmChatFunction;
  /** The editor's tool settings (`settings/get`). */
  toolSettings?: () => Promise<ToolSettings>;
  /** The editor, for symbol search through its language servers (`editor/definitions`...). */
  editor?: Pick<Connection, 'sendRequest'>;
  /** The MCP servers' status after each change (`mcp/didChange`). */
  onMcpStatus?: (servers: McpServerStatus[]) => void;
  /** A GitHub token for pull requests (`github/session`, else `GITHUB_TOKEN`): EngineSettings.githubToken. */
  githubToken?: (interactive: boolean) => Promise<string | undefined>;
}

/** `dist/engine.js`: the engine bundle's exports (server/src/engine/index.ts). */
export type EngineModule = typeof EngineIndex;

interface Loaded {
  engine: MocoEngine;
  tasks: TaskService;
  module: EngineModule;
}

/** The engine of the server process, once it exists. */
export class EngineHost {
  private settings: { storagePath: string; defaultWorkingDir: string } | undefined;
  private loaded: Promise<Loaded> | undefined;

  constructor(private readonly options: EngineHostOptions) {}

  /** Says where the engine keeps its database; it is opened on first use. */
  open(storagePath: string, defaultWorkingDir: string): void {
    this.settings = { storagePath, defaultWorkingDir };
  }

  /**
   * The engine, loaded on first use.
   * @throws {ResponseError} `ServerNotInitialized` before `initialize`; {@link StorageError} when
   *   the database cannot be opened.
   */
  async require(): Promise<MocoEngine> {
    return (await this.load()).engine;
  }

  /**
   * The engine with its bundle's exports (the git, pull request and review services live there, so
   * that the server's start does not load them). @throws as {@link require}.
   */
  async requireModule(): Promise<{ engine: MocoEngine; module: EngineModule }> {
    const { engine, module } = await this.load();
    return { engine, module };
  }

  /** The background tasks, loaded with the engine. @throws as {@link require}. */
  async requireTasks(): Promise<TaskService> {
    return (await this.load()).tasks;
  }

  /**
   * Loads the engine now when the storage folder holds background tasks, so that those still
   * running are followed (and their end reported) without waiting for a request. Never throws.
   */
  attachToTasks(): void {
    const settings = this.settings;
    if (!settings) return;
    let logs: string[] = [];
    try {
      logs = readdirSync(path.join(settings.storagePath, TASKS_FOLDER));
    } catch {
      // No task ever ran here.
    }
    if (logs.length > 0) void this.load().catch(() => undefined);
  }

  /** Stops following the tasks (they go on running), cancels the runs and closes the database. */
  async close(): Promise<void> {
    this.settings = undefined;
    const loaded = await this.loaded?.catch(() => undefined);
    this.loaded = undefined;
    loaded?.tasks.close();
    await loaded?.engine.close();
  }

  private load(): Promise<Loaded> {
    const settings = this.settings;
    if (!settings) {
      return Promise.reject(new ResponseError(ErrorCodes.ServerNotInitialized, 'The MOCO server is not ready: it has no storage. See MOCO: Show Server Status.'));
    }
    this.loaded ??= import('../engine/index').then((module) => {
      const { openEngine, editorProviderFactory, editorSymbols, TaskService } = module;
      const { onEvents, onTaskChange, log, credentials, lmChat, toolSettings, editor, onMcpStatus, githubToken } = this.options;
      const engine = openEngine({
        databaseFile: path.join(settings.storagePath, DATABASE_FILE_NAME),
        bundledProfilesDir: bundledProfilesDir(),
        env: process.env,
        defaultWorkingDir: settings.defaultWorkingDir,
        onEvents,
        surface: 'editor',
        ...(credentials ? { credentials } : {}),
        ...(lmChat ? { providerFactory: editorProviderFactory(lmChat) } : {}),
        unknownCommands: 'ask',
        log: (level, message) => log(`[${level}] ${message}`),
        ...(toolSettings ? { toolSettings } : {}),
        ...(editor ? { symbols: editorSymbols(editor) } : {}),
        ...(onMcpStatus ? { onMcpStatus } : {}),
        ...(githubToken ? { githubToken } : {}),
      });
      const launcher = { execPath: process.execPath, cliScript: path.join(__dirname, 'cli.js'), storagePath: settings.storagePath };
      const tasks = new TaskService(engine, launcher, {
        onTaskChange,
        onEvents,
        onError: (error) => log(`Following the background tasks failed: ${error instanceof Error ? error.message : String(error)}`),
      });
      return { engine, tasks, module };
    });
    // A failure (a database it cannot open) is not kept: the next request tries again.
    this.loaded.catch(() => (this.loaded = undefined));
    return this.loaded;
  }
}
