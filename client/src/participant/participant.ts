/**
 * `@moco` in VS Code's own chat (when the editor has `vscode.chat`): the same orchestrator as the
 * Chat view. Each VS Code conversation continues its own MOCO session (its id is kept in the
 * answers' metadata); the answer streams as Markdown, tool calls and delegations as progress
 * lines, approvals as buttons, and the tree's tokens and cost as a footer.
 */
import * as vscode from 'vscode';
import { ChatParticipantId, CommandIds } from '../../../protocol/ids';
import { ApprovalRespondRequest, ChatSendRequest, RunCancelRequest, type ApprovalDecision, type RunEvent } from '../../../protocol/run';
import { treeTotals } from '../../../protocol/runTreeState';
import { errorActions, errorCode } from '../commands/errorActions';
import { isCancellation } from '../commands/showError';
import { errorMessage } from '../errorMessage';
import type { ServerController } from '../languageClient';
import { runFields } from '../settings';
import type { SessionEvents, SessionHub } from '../state/sessionHub';
import { formatElapsed, usageParts } from '../views/format';
import { participantSteps, previousSessionId, type ParticipantStep } from './steps';

/**
 * The command of the Approve, Deny and Always buttons of `@moco`'s answers (arguments: approval id,
 * decision). Not contributed: it is only run by those buttons.
 */
export const RespondToApprovalCommand = 'moco.participant.respondToApproval';

/** How long a cancelled run may take to report that it stopped before the answer ends anyway (ms). */
const CANCEL_GRACE_MS = 2000;

/**
 * Registers `@moco` when the editor has a chat (`vscode.chat.createChatParticipant`); otherwise
 * does nothing.
 */
export function registerChatParticipant(server: ServerController, hub: SessionHub, extensionUri: vscode.Uri): vscode.Disposable {
  if (typeof vscode.chat?.createChatParticipant !== 'function') return new vscode.Disposable(() => undefined);
  const participant = vscode.chat.createChatParticipant(ChatParticipantId, (request, context, stream, token) =>
    answer(server, hub, request, context, stream, token),
  );
  participant.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'moco.svg');
  return vscode.Disposable.from(
    participant,
    vscode.commands.registerCommand(RespondToApprovalCommand, async (approvalId: unknown, decision: unknown) => {
      if (typeof approvalId !== 'string' || (decision !== 'approve' && decision !== 'deny' && decision !== 'always')) return;
      try {
        const { accepted } = await server.request(ApprovalRespondRequest, { approvalId, decision });
        if (!accepted) void vscode.window.showInformationMessage('This approval was already answered, or its run has ended.');
      } catch (error) {
        void vscode.window.showErrorMessage(errorMessage(error));
      }
    }),
  );
}

async function answer(
  server: ServerController,
  hub: SessionHub,
  request: vscode.ChatRequest,
  context: vscode.ChatContext,
  stream: vscode.ChatResponseStream,
  token: vscode.CancellationToken,
): Promise<vscode.ChatResult> {
  const previous = previousSessionId(context.history);
  // Listen before sending: the run's first events may arrive before chat/send's answer.
  const follower = new RunFollower(hub);
  try {
    stream.progress('Starting the agents…');
    let sent: { sessionId: string; runId: string };
    try {
      sent = await server.request(ChatSendRequest, { text: request.prompt, ...(previous ? { sessionId: previous } : {}), ...runFields() }, token);
    } catch (error) {
      if (isCancellation(error)) return { metadata: { sessionId: previous } };
      for (const action of errorActions(errorCode(error))) stream.button({ command: action.command, title: action.label });
      return { errorDetails: { message: errorMessage(error) }, metadata: { sessionId: previous } };
    }
    const metadata = { sessionId: sent.sessionId, runId: sent.runId };
    const started = Date.now();
    const finished = await follower.follow(sent.sessionId, sent.runId, server, token, (step) => write(stream, step));
    const totals = usageParts(treeTotals(hub.tree(sent.sessionId), sent.runId));
    switch (finished?.status) {
      case 'done':
        stream.markdown(`\n\n---\n_${[...totals, formatElapsed(Date.now() - started)].join(' · ')}_\n`);
        return { metadata };
      case 'failed': {
        const error = finished.error;
        for (const action of errorActions(error?.code)) stream.button({ command: action.command, title: action.label });
        return { errorDetails: { message: error?.message ?? 'The run failed.' }, metadata };
      }
      case 'interrupted':
        stream.markdown('\n\n_The run was interrupted before it ended._\n');
        stream.button({ command: CommandIds.resumeRun, title: 'Resume', arguments: [sent.runId] });
        return { metadata };
      case 'cancelled':
      case undefined:
        if (totals.length > 0) stream.markdown(`\n\n---\n_Cancelled · ${totals.join(' · ')}_\n`);
        return { metadata };
    }
  } finally {
    follower.dispose();
  }
}

function write(stream: vscode.ChatResponseStream, step: ParticipantStep): void {
  switch (step.kind) {
    case 'markdown':
      stream.markdown(step.text);
      break;
    case 'progress':
      stream.progress(step.text);
      break;
    case 'approval': {
      stream.markdown(`\n\n**${step.agent}** asks to run \`${step.tool}\`: ${step.reason}\n\n`);
      const args = (decision: ApprovalDecision): unknown[] => [step.approvalId, decision];
      stream.button({ command: RespondToApprovalCommand, title: 'Approve', arguments: args('approve') });
      stream.button({ command: RespondToApprovalCommand, title: 'Deny', arguments: args('deny') });
      stream.button({ command: RespondToApprovalCommand, title: 'Always allow in this session', arguments: args('always') });
      stream.progress(`${step.agent} waits for your approval…`);
      break;
    }
    case 'finished':
      break;
  }
}

type Finished = Extract<ParticipantStep, { kind: 'finished' }>;

/** Collects the hub's events from its creation, then follows one run tree until it ends. */
class RunFollower implements vscode.Disposable {
  private readonly buffered: SessionEvents[] = [];
  private listener: ((batch: SessionEvents) => void) | undefined;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly hub: SessionHub) {
    this.subscription = hub.onDidReceiveEvents((batch) => {
      if (this.listener) this.listener(batch);
      else this.buffered.push(batch);
    });
  }

  /**
   * Writes the steps of the tree rooted at `rootId` as its events arrive (the buffered ones
   * first), and resolves when the root ends, when the server stops, or, after the user cancels
   * (which cancels the run), when the run reports that it stopped or {@link CANCEL_GRACE_MS} have
   * passed. Resolves `undefined` when it ended without saying how.
   */
  follow(sessionId: string, rootId: string, server: ServerController, token: vscode.CancellationToken, onStep: (step: ParticipantStep) => void): Promise<Finished | undefined> {
    return new Promise((resolve) => {
      const disposables: vscode.Disposable[] = [];
      let timer: NodeJS.Timeout | undefined;
      const settle = (result: Finished | undefined): void => {
        clearTimeout(timer);
        this.listener = () => undefined;
        for (const d of disposables) d.dispose();
        resolve(result);
      };
      const handle = (events: readonly RunEvent[]): boolean => {
        for (const step of participantSteps(events, rootId, this.hub.tree(sessionId))) {
          if (step.kind === 'finished') {
            settle(step);
            return true;
          }
          if (!token.isCancellationRequested) onStep(step);
        }
        return false;
      };
      for (const batch of this.buffered.splice(0)) {
        if (batch.sessionId === sessionId && handle(batch.events)) return;
      }
      this.listener = (batch) => {
        if (batch.sessionId === sessionId) handle(batch.events);
      };
      const cancel = (): void => {
        server.request(RunCancelRequest, { runId: rootId }).catch(() => undefined);
        timer ??= setTimeout(() => settle(undefined), CANCEL_GRACE_MS);
      };
      disposables.push(
        token.onCancellationRequested(cancel),
        server.onDidChange(({ state, reason }) => {
          if (state === 'failed' || state === 'stopped') {
            settle({ kind: 'finished', status: 'failed', error: { code: 0, message: reason ?? 'The MOCO server stopped.' } });
          }
        }),
      );
      if (token.isCancellationRequested) cancel();
    });
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
