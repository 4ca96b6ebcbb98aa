/**
 * The typed messages between the Chat webview and the client (the extension host), sent with
 * `postMessage`. Two discriminated unions, one per direction, in the style of GitLens's
 * `IpcNotification`/`IpcCommand`: never one `{type, values?: any}` bag.
 *
 * The webview builds the whole transcript itself from the run events (`session/didLoad` gives the
 * stored ones, `run/didChange` the new ones), so the client only relays them.
 *
 * This file imports only types and `ids.ts` (no Node, DOM or JSON-RPC code), so that the webview
 * bundle, which runs in a browser iframe, can use it.
 */
import { CommandIds } from './ids';
import type { ApprovalDecision, RunEvent, RunNode } from './run';
import type { SessionSummary } from './sessions';

/** Connection state of the MOCO server as the client sees it (also shown in the status bar). */
export type ConnectionState = 'starting' | 'ready' | 'restarting' | 'stopped' | 'failed';

/** The parts of the server's health the Chat view shows (see `ServerHealth` in `server.ts`). */
export interface ConnectionInfo {
  /** Server version (semver). */
  version: string;
  /** Server process id. */
  pid: number;
  /** `process.version` of the server's runtime. */
  nodeVersion: string;
}

/** client → webview: the connection changed. `server` is present only in the `ready` state. */
export interface ConnectionNotification {
  type: 'connection/didChange';
  state: ConnectionState;
  server?: ConnectionInfo;
  /** For `failed` and `stopped`: why, in words for the user. */
  reason?: string;
}

/**
 * client → webview: show this session from the start, replacing what is shown. Sent when the
 * webview is ready, after `MOCO: New Chat` (no session) and `MOCO: Open Session…`.
 */
export interface SessionLoadNotification {
  type: 'session/didLoad';
  /** Absent for a new, empty chat. */
  session?: SessionSummary;
  /** Every node of the session, in start order. */
  runs: RunNode[];
  /** Every stored event of the session, in `seq` order. */
  events: RunEvent[];
}

/** client → webview: new events of the shown session (the server's `run/didChange`). */
export interface RunEventsNotification {
  type: 'run/didChange';
  sessionId: string;
  events: RunEvent[];
}

/**
 * client → webview: a message was accepted and its run has started (the answer of `chat/send`);
 * its events follow. The webview shows the run as pending until its `runStarted` event.
 */
export interface RunStartNotification {
  type: 'run/didStart';
  sessionId: string;
  runId: string;
}

/** What the chat shows of the settings; sent at load and on every change. */
export interface ChatSettingsNotification {
  type: 'settings/didChange';
  /** `moco.chat.showThinking` (MOCO's `thinking_show`): false hides thinking entirely. */
  showThinking: boolean;
  /** The profile a new message uses, for example `development`. */
  profile: string;
  /** `provider/model` as the user chose it, or `auto`. */
  model: string;
  /** Absolute path of the working directory of the next message. */
  workingDir: string;
}

/** An agent of the current profile, for `@agent` completion. */
export interface ChatAgent {
  name: string;
  description: string;
}

/** client → webview: the current profile's agents (for `@agent` completion). */
export interface AgentsNotification {
  type: 'agents/didChange';
  profile: string;
  agents: ChatAgent[];
}

/** A button of an error banner: runs one of the commands of {@link WebviewCommandId}. */
export interface BannerAction {
  /** The button's label, for example `Set API Key`. */
  label: string;
  command: WebviewCommandId;
}

/**
 * client → webview: show an error banner above the input (a send that failed, a provider that
 * lacks its key...). It stays until the user closes it or sends again.
 */
export interface ErrorBannerNotification {
  type: 'error/show';
  /** What is wrong and what to do, in words for the user. */
  message: string;
  /** Fixes, first one primary: "Set API Key", "Select Model", "Show Logs". */
  actions: BannerAction[];
}

/** client → webview: a short informational line in the transcript (the answer to a slash command). */
export interface NoticeNotification {
  type: 'notice/show';
  message: string;
}

/** Everything the client sends to the webview. */
export type ClientToWebviewMessage =
  | ConnectionNotification
  | SessionLoadNotification
  | RunEventsNotification
  | RunStartNotification
  | ChatSettingsNotification
  | AgentsNotification
  | ErrorBannerNotification
  | NoticeNotification;

/** webview → client: the webview's script has loaded and wants the current state. */
export interface ReadyCommand {
  type: 'webview/ready';
}

/** webview → client: run one of MOCO's commands (only those listed in {@link WebviewCommandId}). */
export interface RunCommandCommand {
  type: 'command/run';
  command: WebviewCommandId;
}

/** webview → client: send a message to the shown session (a new one when none is shown). */
export interface SendCommand {
  type: 'chat/send';
  /** The user's text; a first word `@agent` sends it straight to that agent. */
  text: string;
}

/** webview → client: cancel a node and its descendants (Stop cancels the running root). */
export interface CancelCommand {
  type: 'run/cancel';
  runId: string;
}

/** webview → client: resume an interrupted root. */
export interface ResumeCommand {
  type: 'run/resume';
  runId: string;
}

/** webview → client: the user answered an approval request on a tool card. */
export interface ApprovalCommand {
  type: 'approval/respond';
  approvalId: string;
  decision: ApprovalDecision;
}

/** The slash commands the client carries out (`/help` is the webview's own). */
export type SlashCommandName = 'new' | 'clear' | 'profile' | 'model' | 'provider' | 'cd' | 'workdir' | 'sessions';

/** webview → client: a slash command typed in the input box. */
export interface SlashCommand {
  type: 'slash/run';
  name: SlashCommandName;
  /** The rest of the line, trimmed; absent when empty (then the client asks with a quick pick). */
  argument?: string;
}

/** webview → client: a code block's Copy (to the clipboard) or Insert at Cursor (active editor). */
export interface CodeCommand {
  type: 'code/copy' | 'code/insert';
  code: string;
}

/** webview → client: show this run's node in the Agents view and open its transcript. */
export interface RevealRunCommand {
  type: 'run/reveal';
  runId: string;
}

/** The commands a webview may ask the client to run; anything else is ignored. */
const webviewCommandIds = [
  CommandIds.showLogs,
  CommandIds.restartServer,
  CommandIds.showServerStatus,
  CommandIds.setApiKey,
  CommandIds.selectProviderAndModel,
  CommandIds.selectProfile,
  CommandIds.openSession,
  CommandIds.newChat,
] as const;

/** One of the commands a webview may run. */
export type WebviewCommandId = (typeof webviewCommandIds)[number];

/** Everything the webview sends to the client. */
export type WebviewToClientMessage =
  | ReadyCommand
  | RunCommandCommand
  | SendCommand
  | CancelCommand
  | ResumeCommand
  | ApprovalCommand
  | SlashCommand
  | CodeCommand
  | RevealRunCommand;


const slashCommandNames: readonly SlashCommandName[] = ['new', 'clear', 'profile', 'model', 'provider', 'cd', 'workdir', 'sessions'];
const decisions: readonly ApprovalDecision[] = ['approve', 'deny', 'always'];

/**
 * Narrows an unknown `postMessage` payload to a {@link WebviewToClientMessage}, or `undefined`
 * when it is not one (a webview is a browser page: its messages are checked, not trusted).
 */
export function parseWebviewMessage(value: unknown): WebviewToClientMessage | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const m = value as Record<string, unknown>;
  const str = (key: string): string | undefined => (typeof m[key] === 'string' ? m[key] : undefined);
  switch (m.type) {
    case 'webview/ready':
      return { type: 'webview/ready' };
    case 'command/run':
      return isOneOf(m.command, webviewCommandIds) ? { type: 'command/run', command: m.command } : undefined;
    case 'chat/send': {
      const text = str('text');
      return text !== undefined && text.trim() !== '' ? { type: 'chat/send', text } : undefined;
    }
    case 'run/cancel':
    case 'run/resume':
    case 'run/reveal': {
      const runId = str('runId');
      return runId ? { type: m.type, runId } : undefined;
    }
    case 'approval/respond': {
      const approvalId = str('approvalId');
      return approvalId && isOneOf(m.decision, decisions) ? { type: 'approval/respond', approvalId, decision: m.decision } : undefined;
    }
    case 'slash/run': {
      if (!isOneOf(m.name, slashCommandNames)) return undefined;
      const argument = str('argument')?.trim();
      return { type: 'slash/run', name: m.name, ...(argument ? { argument } : {}) };
    }
    case 'code/copy':
    case 'code/insert': {
      const code = str('code');
      return code !== undefined ? { type: m.type, code } : undefined;
    }
    default:
      return undefined;
  }
}

function isOneOf<T extends string>(value: unknown, allowed: readonly T[]): value is T {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value);
}
