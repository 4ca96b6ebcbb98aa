/**
 * Drives the real server process (`dist/server.js`) for engine tests over real JSON-RPC (Node IPC):
 * a temporary git workspace with its own profiles and storage folders, a server initialised on it
 * with the mock provider in its environment, and the `run/didChange` events it sends, collected
 * per session in the order they arrived.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import type { CancellationToken, MessageConnection } from 'vscode-jsonrpc/node';
import { InitializedNotification, InitializeRequest } from 'vscode-languageserver/node';
import {
  LmChatProgress,
  LmChatRequest,
  SecretsGetRequest,
  type LmChatParams,
  type LmChatResult,
  type SecretsGetParams,
} from '../../protocol/editor';
import { TasksDidChangeNotification, type TaskSummary } from '../../protocol/tasks';
import {
  ChatSendRequest,
  RunDidChangeNotification,
  type ChatSendParams,
  type ChatSendResult,
  type RunEvent,
  type RunEventKind,
  type RunNode,
} from '../../protocol/run';
import type { MockLlm } from './mockLlm';
import { initializeParams, startServer, type RunningServer } from './serverProcess';

/** The folders of one test: everything lives under `root`, removed by `cleanup`. */
export interface TestWorkspace {
  root: string;
  /** The working directory of the runs: a real git repository (`git init`). */
  dir: string;
  /** `MOCO_PROFILES_DIR` of the server. */
  profilesDir: string;
  /** The server's storage folder (`moco.db` is created in it). */
  storagePath: string;
  cleanup(): Promise<void>;
}

/** Makes a temporary workspace (a git repository), a profiles folder and a storage folder. */
export async function makeWorkspace(): Promise<TestWorkspace> {
  const root = await mkdtemp(path.join(tmpdir(), 'moco-rpc-'));
  const dir = path.join(root, 'workspace');
  const profilesDir = path.join(root, 'profiles');
  const storagePath = path.join(root, 'storage');
  await Promise.all([mkdir(dir), mkdir(profilesDir), mkdir(storagePath)]);
  execFileSync('git', ['init', '-q', dir]);
  return { root, dir, profilesDir, storagePath, cleanup: () => rm(root, { recursive: true, force: true }) };
}

/** Variables that choose or configure a provider or MOCO itself: never inherited by a test server. */
const CONFIG_VARIABLE = /^(MOCO_|OPENAI_|OPENROUTER_|ZAI_|GEMINI_|GENAI_|GOOGLE_|OLLAMA_|LMSTUDIO_)/;

/** This process's environment without any provider or MOCO variable, plus `extra`. */
export function serverEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!CONFIG_VARIABLE.test(name)) env[name] = value;
  return { ...env, ...extra };
}

/** The environment of a server whose provider is the mock (`openai` at the mock's base URL). */
export function mockEnv(mock: MockLlm, workspace: TestWorkspace, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return serverEnv({ OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: mock.baseURL, MOCO_PROFILES_DIR: workspace.profilesDir, ...extra });
}

/** An event with the session its notification named. */
export interface ReceivedEvent {
  sessionId: string;
  event: RunEvent;
}

/** A {@link RunEvent} of one kind. */
export type EventOf<K extends RunEventKind> = Extract<RunEvent, { kind: K }>;

/** How long a wait for the server may take before the test fails with what it waited for (ms). */
const WAIT_LIMIT_MS = 20_000;

/**
 * Waits until `condition` returns a value other than undefined or false, checking every 10 ms.
 * @throws {Error} naming `what` after {@link WAIT_LIMIT_MS}.
 */
export async function waitUntil<T>(condition: () => T | undefined | false, what: string): Promise<T> {
  const deadline = Date.now() + WAIT_LIMIT_MS;
  for (;;) {
    const value = condition();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await sleep(10);
  }
}

/**
 * The editor's side of an `lm/chat` request in a test: `progress` sends one `$/progress` partial;
 * `token` is cancelled when the server sends `$/cancelRequest`.
 */
export type LmChatHandler = (params: LmChatParams, progress: (text: string) => Promise<void>, token: CancellationToken) => Promise<LmChatResult>;

/** A server process initialised on a workspace, and the events it sent. */
export class EngineClient {
  /** Every `run/didChange` event, in arrival order. */
  readonly received: ReceivedEvent[] = [];
  /** Every `tasks/didChange` summary, in arrival order. */
  readonly taskChanges: TaskSummary[] = [];

  constructor(readonly server: RunningServer) {
    server.connection.onNotification(RunDidChangeNotification, ({ sessionId, events }) => {
      for (const event of events) this.received.push({ sessionId, event });
    });
    server.connection.onNotification(TasksDidChangeNotification, ({ task }) => {
      this.taskChanges.push(task);
    });
  }

  /**
   * Answers `secrets/get` as an editor with these keys in its SecretStorage would (only the
   * providers asked for that have one). Without it, the client has no handler (MethodNotFound).
   * @returns the params of every `secrets/get` received, in order (filled as they come).
   */
  answerSecrets(keys: Record<string, string>): SecretsGetParams[] {
    const asked: SecretsGetParams[] = [];
    this.connection.onRequest(SecretsGetRequest, (params) => {
      asked.push(params);
      return { keys: Object.fromEntries(params.providers.filter((id) => keys[id] !== undefined).map((id) => [id, keys[id]!])) };
    });
    return asked;
  }

  /**
   * Answers `lm/chat` with `handler`, as the editor's `vscode.lm` bridge would.
   * @returns the params of every `lm/chat` received, in order (filled as they come).
   */
  answerLmChat(handler: LmChatHandler): LmChatParams[] {
    const asked: LmChatParams[] = [];
    this.connection.onRequest(LmChatRequest, (params, token) => {
      asked.push(params);
      const progress = (text: string): Promise<void> => this.connection.sendProgress(LmChatProgress, params.partialResultToken, { text });
      return handler(params, progress, token);
    });
    return asked;
  }

  /** Waits for a `tasks/didChange` of a task that matches `predicate`. */
  waitForTask(sessionId: string, predicate: (task: TaskSummary) => boolean, what = 'a change'): Promise<TaskSummary> {
    return waitUntil(() => this.taskChanges.find((task) => task.sessionId === sessionId && predicate(task)), `${what} of task ${sessionId}`);
  }

  get connection(): MessageConnection {
    return this.server.connection;
  }

  /** The events received for a session, in arrival order. */
  events(sessionId: string): RunEvent[] {
    return this.received.filter((entry) => entry.sessionId === sessionId).map((entry) => entry.event);
  }

  /** The events of one kind received for a session. */
  eventsOf<K extends RunEventKind>(sessionId: string, kind: K): EventOf<K>[] {
    return this.events(sessionId).filter((event): event is EventOf<K> => event.kind === kind);
  }

  /** Sends `chat/send`. */
  send(params: ChatSendParams): Promise<ChatSendResult> {
    return this.connection.sendRequest(ChatSendRequest, params);
  }

  /** Waits for the first event of a session, of `kind`, that matches `predicate`. */
  waitForEvent<K extends RunEventKind>(sessionId: string, kind: K, predicate: (event: EventOf<K>) => boolean = () => true): Promise<EventOf<K>> {
    return waitUntil(() => this.eventsOf(sessionId, kind).find(predicate), `a ${kind} event of session ${sessionId}`);
  }

  /** Waits for the `runFinished` event of a node. */
  finished(sessionId: string, runId: string): Promise<EventOf<'runFinished'>> {
    return this.waitForEvent(sessionId, 'runFinished', (event) => event.runId === runId);
  }

  /** Ends the process with SIGKILL (`kill -9`) and waits for its exit. */
  kill(): Promise<void> {
    return this.server.kill();
  }
}

/**
 * Starts `dist/server.js` with `env`, initialises it with its storage in `workspace.storagePath`
 * and `workspace.dir` as the first workspace folder, and sends `initialized`.
 */
export async function startEngineServer(workspace: TestWorkspace, env: NodeJS.ProcessEnv): Promise<EngineClient> {
  const client = new EngineClient(startServer(env));
  const params = { ...initializeParams(workspace.storagePath), rootUri: pathToFileURL(workspace.dir).href };
  await client.connection.sendRequest(InitializeRequest.type, params);
  await client.connection.sendNotification(InitializedNotification.type, {});
  return client;
}

/** The `code` and `message` of the error a request was rejected with. @throws when it was not rejected. */
export async function wireError(request: Promise<unknown>): Promise<{ code: number; message: string }> {
  const outcome = await request.then(
    (result: unknown) => ({ ok: true as const, result }),
    (error: unknown) => ({ ok: false as const, error: error as { code: number; message: string } }),
  );
  if (outcome.ok) throw new Error(`The request succeeded with ${JSON.stringify(outcome.result)}; an error was expected`);
  return { code: outcome.error.code, message: outcome.error.message };
}

/**
 * Rebuilds the nodes of a session from its events, as a client that only listened would:
 * `runStarted` gives the node, `statusChanged`, `usage` and `runFinished` update it. `endedAt`
 * is not in any event, so it is left out.
 */
export function replayRuns(events: RunEvent[]): Omit<RunNode, 'endedAt'>[] {
  const nodes = new Map<string, Omit<RunNode, 'endedAt'>>();
  for (const event of events) {
    if (event.kind === 'runStarted') nodes.set(event.runId, { ...event.node });
    const node = nodes.get(event.runId);
    if (!node) continue;
    if (event.kind === 'statusChanged') node.status = event.status;
    if (event.kind === 'usage') node.usage = event.usage;
    if (event.kind === 'runFinished') {
      node.status = event.status;
      if (event.result !== undefined) node.result = event.result;
      if (event.error !== undefined) node.error = event.error;
    }
  }
  return [...nodes.values()];
}

/** Nodes without `endedAt`, to compare with {@link replayRuns}. */
export function withoutEndedAt(nodes: RunNode[]): Omit<RunNode, 'endedAt'>[] {
  return nodes.map((node) => {
    const copy: RunNode = { ...node };
    delete copy.endedAt;
    return copy;
  });
}

/** The text of a node's `textDelta` or `thinkingDelta` events, joined. */
export function joinedText(events: RunEvent[], runId: string, kind: 'textDelta' | 'thinkingDelta'): string {
  return events
    .filter((event): event is EventOf<'textDelta'> | EventOf<'thinkingDelta'> => event.kind === kind && event.runId === runId)
    .map((event) => event.text)
    .join('');
}

/**
 * A promise resolved once `count` callers have waited on it: makes requests overlap without
 * timing. When fewer ever come, it opens after `fallbackMs` so that the test fails on its
 * assertions rather than on its time limit.
 */
export function barrier(count: number, fallbackMs = 5_000): () => Promise<void> {
  let arrived = 0;
  const { wait, open } = latch();
  const opened = Promise.race([wait, sleep(fallbackMs, undefined, { ref: false })]);
  return () => {
    arrived += 1;
    if (arrived >= count) open();
    return opened;
  };
}

/** A promise the test opens when it chooses: holds a mock answer until an assertion is made. */
export function latch(): { wait: Promise<void>; open: () => void } {
  let open: () => void = () => undefined;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}
