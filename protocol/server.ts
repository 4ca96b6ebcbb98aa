/**
 * Messages about the server process itself: its health and its life-cycle state.
 * One typed constant per message (CONVENTIONS.md §2); the method strings are written only here.
 */
import { NotificationType, RequestType0 } from 'vscode-jsonrpc';
import type { MocoErrorCode, StorageUnavailableData } from './errors';

/** What the server sends in `initialize`'s `initializationOptions`. */
export interface ServerInitializationOptions {
  /**
   * Absolute path of the folder the server keeps its state in (the extension's workspace storage
   * or, without a workspace, its global storage; `MOCO_HOME` for the CLI). Created if missing.
   */
  storagePath: string;
  /** Version of the client that starts the server (the extension's `package.json` version). */
  clientVersion: string;
}

/** The answer to `server/health`. */
export interface ServerHealth {
  /** The server's version, from the extension's `package.json` (semver). */
  version: string;
  /** Operating-system process id of the server process. */
  pid: number;
  /** `process.version` of the runtime that runs the server, for example `v24.21.0`. */
  nodeVersion: string;
  /** Milliseconds since the server process started (`process.uptime() * 1000`, rounded). */
  uptimeMs: number;
  /** Wall-clock start time of the server, ISO 8601 in UTC. */
  startedAt: string;
  /** Absolute path of the storage folder the server uses (see {@link ServerInitializationOptions}). */
  storagePath: string;
  /** Resident set size of the server process in bytes (`process.memoryUsage().rss`). */
  rssBytes: number;
}

/**
 * `server/health` (client → server request, no params): the server's identity and vital signs.
 * Answered as soon as `initialize` has finished; before that the language client queues it.
 */
export const HealthRequest = new RequestType0<ServerHealth, void>('server/health');

/** Life-cycle states the server reports about itself. */
export type ServerState = 'ready' | 'failed' | 'stopping';

/** Why the server cannot work: an error of `errors.ts`, with its message for the user. */
export interface ServerFailure {
  /** One of `MocoErrorCodes`. */
  code: MocoErrorCode;
  /** What is wrong and what to do, in words for the user. */
  message: string;
  /** Details by code, for example `StorageUnavailableData` for `StorageUnavailable`. */
  data?: StorageUnavailableData;
}

/**
 * Params of `server/didChangeStatus`. As rust-analyzer's `experimental/serverStatus`, the server
 * answers `initialize` even when it cannot work, and says why here, so that the client can show
 * one clear message and stop it cleanly.
 */
export interface ServerStatusParams {
  /**
   * The new state. `ready` or `failed` is sent once after `initialized`; `stopping` on
   * `shutdown`.
   */
  state: ServerState;
  /** The server's health at the moment of the change. */
  health: ServerHealth;
  /** Set when `state` is `failed`. */
  failure?: ServerFailure;
}

/** `server/didChangeStatus` (server → client notification): the server changed state. */
export const DidChangeStatusNotification = new NotificationType<ServerStatusParams>(
  'server/didChangeStatus',
);
