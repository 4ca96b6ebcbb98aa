/**
 * Shapes shared by the MCP modules: a server's resolved configuration, the logger the manager
 * reports through, and the manager's options with their defaults (the numbers are documented in
 * README.md beside this file).
 */
import type { McpServerStatus } from '../../../protocol/mcp';

/** Where a server's configuration came from, in precedence order (the first wins). */
export type McpConfigSource = McpServerStatus['source'];

interface McpServerSpecBase {
  /** The configured name (a key of `servers` / `mcpServers`, or `name` in `profile.yaml`). */
  name: string;
  source: McpConfigSource;
  /** Where to fix it, for messages: an absolute file path, or `profile "<name>"` when no file is known. */
  origin: string;
}

/** A local server started as a process and spoken to over its stdin/stdout. */
export interface McpStdioServerSpec extends McpServerSpecBase {
  transport: 'stdio';
  command: string;
  args: string[];
  /** Variables added to the safe base environment (PATH, HOME...), variables substituted. */
  env: Record<string, string>;
  /** Absolute working directory of the process; the workspace unless the configuration says otherwise. */
  cwd: string;
}

/**
 * A remote server. `http` tries Streamable HTTP and falls back to HTTP+SSE when the server answers
 * the first POST with a 4xx (the SDK's backwards-compatibility recipe); `sse` goes straight to SSE.
 */
export interface McpHttpServerSpec extends McpServerSpecBase {
  transport: 'http' | 'sse';
  url: string;
  /** Request headers (for example `Authorization`), variables substituted. */
  headers: Record<string, string>;
}

/** One server to run, resolved from the configuration files (see config.ts). */
export type McpServerSpec = McpStdioServerSpec | McpHttpServerSpec;

/** Severity of a log line. */
export type McpLogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Where the manager reports: every failure, restart and quarantine, and the servers' stderr. */
export interface McpLogger {
  log(level: McpLogLevel, message: string): void;
}

/** Default: time (ms) to start a server and get its answer to `initialize` and `tools/list`. */
export const MCP_CONNECT_TIMEOUT_MS = 30_000;
/** Default: time (ms) a `tools/call` may take before the model is told it timed out. */
export const MCP_CALL_TIMEOUT_MS = 60_000;
/** Default: time (ms) between two `ping`s to a ready server (MCP's health check). */
export const MCP_HEALTH_CHECK_INTERVAL_MS = 30_000;
/** Default: time (ms) a `ping` may take before the server counts as lost. */
export const MCP_PING_TIMEOUT_MS = 10_000;
/**
 * Default: first reconnect delay (ms); each further attempt doubles it, up to
 * {@link MCP_RECONNECT_MAX_DELAY_MS}, with jitter (DESIGN.md: exponential backoff with jitter).
 */
export const MCP_RECONNECT_BASE_DELAY_MS = 1_000;
/** Default: longest reconnect delay (ms). */
export const MCP_RECONNECT_MAX_DELAY_MS = 30_000;
/**
 * Default: failures (a lost connection, or a reconnect attempt that failed) within
 * {@link MCP_QUARANTINE_WINDOW_MS} that quarantine a server. Three, as DESIGN.md's retry count.
 */
export const MCP_QUARANTINE_MAX_FAILURES = 3;
/** Default: the window (ms) in which {@link MCP_QUARANTINE_MAX_FAILURES} failures quarantine a server. */
export const MCP_QUARANTINE_WINDOW_MS = 60_000;

/** Timing of one server's connection; every field has a default above. */
export interface McpTimings {
  connectTimeoutMs: number;
  callTimeoutMs: number;
  healthCheckIntervalMs: number;
  pingTimeoutMs: number;
  reconnectBaseDelayMs: number;
  reconnectMaxDelayMs: number;
  quarantineMaxFailures: number;
  quarantineWindowMs: number;
}

/** The defaults of {@link McpTimings}. */
export const DEFAULT_MCP_TIMINGS: Readonly<McpTimings> = Object.freeze({
  connectTimeoutMs: MCP_CONNECT_TIMEOUT_MS,
  callTimeoutMs: MCP_CALL_TIMEOUT_MS,
  healthCheckIntervalMs: MCP_HEALTH_CHECK_INTERVAL_MS,
  pingTimeoutMs: MCP_PING_TIMEOUT_MS,
  reconnectBaseDelayMs: MCP_RECONNECT_BASE_DELAY_MS,
  reconnectMaxDelayMs: MCP_RECONNECT_MAX_DELAY_MS,
  quarantineMaxFailures: MCP_QUARANTINE_MAX_FAILURES,
  quarantineWindowMs: MCP_QUARANTINE_WINDOW_MS,
});

/** What the manager of one workspace needs. */
export interface McpManagerOptions {
  /** Absolute path of the workspace: the default working directory of stdio servers. */
  workspace: string;
  logger: McpLogger;
  /** Overrides of the defaults (tests use short ones). */
  timings?: Partial<McpTimings>;
  /**
   * The environment the safe base of stdio servers is taken from (PATH, HOME, LANG...); default
   * `process.env`. Nothing else of it reaches a server.
   */
  env?: Record<string, string | undefined>;
  /** How MOCO introduces itself in `initialize`; default `{name: 'moco', version: '0.0.0'}`. */
  clientInfo?: { name: string; version: string };
  /** Source of jitter in [0, 1); default `Math.random`. */
  random?: () => number;
}
