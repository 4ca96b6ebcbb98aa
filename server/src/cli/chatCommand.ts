/**
 * `moco chat`: an interactive session on a terminal (or lines from a pipe). Each line is a message
 * to the profile's entry agent (`@agent …` to address one directly); lines that begin with `/` are
 * the slash commands of `slashCommands.ts`.
 */
import * as path from 'node:path';
import * as readline from 'node:readline/promises';
import type { MocoEngine } from '../engine/engine';
import { resolveWorkingDir } from '../engine/sendTarget';
import { listDirImplementation } from '../tools/listDirImpl';
import { treeImplementation } from '../tools/treeImpl';
import type { ToolContext } from '../tools/types';
import { cliRenderer, failWith, messageOf, openCliEngine, type RunFlags } from './cliContext';
import { chosenSession, followRun } from './runCommand';
import type { Renderer } from './render/types';
import { parseSlashCommand, SLASH_HELP, type SlashCommand } from './slashCommands';

/** What the chat remembers between lines. */
interface ChatState {
  /** The root of the run in progress, if any: what Ctrl+C cancels. */
  runningRoot?: string;
  /** The renderer of the run in progress, which approval questions take off the screen. */
  renderer?: Renderer;
  sessionId?: string;
  workingDir: string;
  profile?: string;
  provider?: string;
  model?: string;
}

function toolContext(workingDir: string): ToolContext {
  let todos: ReturnType<ToolContext['todos']['get']> = [];
  return { workingDir, runId: 'cli', agent: 'user', toolCallId: '', todos: { get: () => todos, set: (items) => (todos = items) } };
}

/** Runs one slash command. @returns false for `/quit`. */
async function runSlash(command: SlashCommand, state: ChatState, out: NodeJS.WritableStream): Promise<boolean> {
  const signal = new AbortController().signal;
  switch (command.command) {
    case 'help':
      out.write(`${SLASH_HELP}\n`);
      return true;
    case 'quit':
      return false;
    case 'clear':
      delete state.sessionId;
      out.write('Started a new session.\n');
      return true;
    case 'workdir':
      out.write(`${state.workingDir}\n`);
      return true;
    case 'cd':
      state.workingDir = await resolveWorkingDir(path.resolve(state.workingDir, command.arg ?? '.'));
      out.write(`Working directory: ${state.workingDir}\n`);
      return true;
    case 'ls':
      out.write(`${(await listDirImplementation({ path: command.arg ?? '.' }, toolContext(state.workingDir), signal)).content}\n`);
      return true;
    case 'tree':
      out.write(`${(await treeImplementation({ path: command.arg ?? '.' }, toolContext(state.workingDir), signal)).content}\n`);
      return true;
    case 'model':
      if (command.arg) state.model = command.arg;
      out.write(`Model: ${state.model ?? '(the provider default)'}\n`);
      return true;
    case 'profile':
      if (command.arg) {
        state.profile = command.arg;
        delete state.sessionId;
        out.write(`Profile: ${state.profile} (new session)\n`);
      } else out.write(`Profile: ${state.profile ?? '(default)'}\n`);
      return true;
  }
}

/** Sends one message and follows its run. */
async function sendLine(engine: MocoEngine, state: ChatState, text: string, renderer: ReturnType<typeof cliRenderer>): Promise<void> {
  const started = await engine.send({
    text,
    workingDir: state.workingDir,
    ...(state.sessionId ? { sessionId: state.sessionId } : {}),
    ...(state.profile ? { profile: state.profile } : {}),
    ...(state.provider ? { provider: state.provider } : {}),
    ...(state.model ? { model: state.model } : {}),
  });
  state.sessionId = started.sessionId;
  state.runningRoot = started.runId;
  let root;
  try {
    root = await followRun(engine, started, renderer);
  } finally {
    delete state.runningRoot;
  }
  if (root.status === 'failed') process.stderr.write(`moco: ${root.error?.message ?? 'the run failed'}\n`);
}

/** Handles one input line. @returns false when the chat should end. */
async function handleLine(engine: MocoEngine, state: ChatState, line: string, flags: RunFlags): Promise<boolean> {
  const slash = parseSlashCommand(line);
  try {
    if (slash && 'error' in slash) process.stderr.write(`${slash.error}\n`);
    else if (slash) return await runSlash(slash, state, process.stdout);
    else {
      const renderer = cliRenderer(flags);
      const unsubscribe = engine.onEvents((_id, events) => renderer.onEvents(events));
      state.renderer = renderer;
      try {
        await sendLine(engine, state, line, renderer);
      } finally {
        delete state.renderer;
        unsubscribe();
      }
    }
  } catch (error) {
    process.stderr.write(`moco: ${messageOf(error)}\n`);
  }
  return true;
}

/** `moco chat`. */
export async function chatCommand(flags: RunFlags): Promise<void> {
  let workingDir: string;
  try {
    workingDir = await resolveWorkingDir(flags.workingDir ?? process.cwd());
  } catch (error) {
    failWith(messageOf(error));
    return;
  }
  const state: ChatState = {
    workingDir,
    ...(flags.profile ? { profile: flags.profile } : {}),
    ...(flags.provider ? { provider: flags.provider } : {}),
    ...(flags.model ? { model: flags.model } : {}),
  };
  let engine: MocoEngine | undefined;
  const lines = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY === true });
  try {
    engine = await openCliEngine(flags, () => state.renderer, lines);
    const session = chosenSession(engine, flags);
    if (session) state.sessionId = session;
    process.stdout.write('MOCO chat. /help for commands, /quit to leave.\n');
    // On a terminal, readline takes Ctrl+C from the process: it cancels the run in progress, and
    // ends the chat when there is none.
    lines.on('SIGINT', () => {
      if (state.runningRoot && engine?.cancel(state.runningRoot)) process.stderr.write('\nCancelling… \n');
      else lines.close();
    });
    lines.setPrompt('> ');
    lines.prompt();
    for await (const raw of lines) {
      const line = raw.trim();
      if (line !== '' && !(await handleLine(engine, state, line, flags))) break;
      if (!process.stdin.readableEnded) lines.prompt(); // after EOF the lines already read are still handled
    }
  } catch (error) {
    failWith(messageOf(error));
  } finally {
    lines.close();
    await engine?.close();
  }
}
