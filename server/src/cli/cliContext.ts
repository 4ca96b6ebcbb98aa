/**
 * What every `moco` command shares: MOCO's flags, the data folder (`MOCO_HOME`, default `~/.moco`),
 * the engine on its database, and the way run events are shown.
 */
import { mkdirSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as readline from 'node:readline/promises';
import { Option, type Command } from 'commander';
import type { SandboxModeSetting } from '../../../protocol/settings';
import { MocoEngine } from '../engine/engine';
import { bundledProfilesDir } from '../profiles/bundled';
import { createTerminalApprover } from './approvalPrompt';
import { cliToolOptions } from './toolOptions';
import { createRenderer } from './render';
import type { Renderer } from './render/types';

/** MOCO's run flags, as commander parses them. */
export interface RunFlags {
  profile?: string;
  provider?: string;
  model?: string;
  workingDir?: string;
  session?: string;
  continue?: boolean;
  new?: boolean;
  stream: boolean;
  verbose?: boolean;
  json?: boolean;
  yes?: boolean;
  thinking?: boolean;
  /** `--sandbox auto|docker|bubblewrap|none` (MOCO's flag). */
  sandbox?: SandboxModeSetting;
  /** `--sandbox-image IMAGE` (MOCO's flag). */
  sandboxImage?: string;
  /** `--policy FILE`: a command policy file (YAML). */
  policy?: string;
}

/** Adds MOCO's run flags to a command. */
export function addRunFlags(command: Command): Command {
  return command
    .option('-p, --profile <name>', 'profile (team of agents) to use')
    .option('-P, --provider <name>', 'provider, optionally with a model: openrouter, zai/glm-4.7')
    .option('-m, --model <name>', 'model name')
    .option('-w, --working-dir <dir>', 'working directory the agents work in (default: the current one)')
    .option('-s, --session <id>', 'continue this session')
    .option('-c, --continue', 'continue the most recent session')
    .option('--new', 'start a new session (the default)')
    .option('--stream', 'print the answer as it streams (the default)', true)
    .option('--no-stream', 'print the answer only when it is complete')
    .option('-v, --verbose', "show sub-agents' text and every tool call")
    .option('--json', 'print run events as JSON lines on stdout')
    .option('-y, --yes', 'approve tool calls that need approval without asking (the command policy\'s deny rules still hold)')
    .option('--thinking', "show the models' thinking")
    .addOption(
      new Option('--sandbox <mode>', 'where shell commands run (default: auto = docker, then bubblewrap, then none)').choices(['auto', 'docker', 'bubblewrap', 'none']),
    )
    .option('--sandbox-image <image>', 'Docker image of the sandbox (default: debian:bookworm-slim)')
    .option('--policy <file>', 'command policy file (YAML: default: ask|deny|allow, rules: {"git log*": allow})');
}

/** The data folder of the CLI: `MOCO_HOME`, default `~/.moco`. */
export function mocoHome(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.MOCO_HOME ?? path.join(os.homedir(), '.moco'));
}

/** The file of the CLI's database. */
export function databaseFile(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(mocoHome(env), 'moco.db');
}

/**
 * Opens the engine on `MOCO_HOME`, with a terminal approver that takes the current renderer's
 * live tree off the screen while it asks (`renderer` gives the one in use, if any).
 * @throws {StorageError} when the database cannot be opened.
 */
export async function openCliEngine(
  flags: Pick<RunFlags, 'yes' | 'json' | 'workingDir' | 'sandbox' | 'sandboxImage' | 'policy' | 'verbose'>,
  renderer?: () => Renderer | undefined,
  lines?: readline.Interface,
): Promise<MocoEngine> {
  const home = mocoHome();
  mkdirSync(home, { recursive: true });
  const approver = createTerminalApprover({
    input: process.stdin,
    output: flags.json ? process.stderr : process.stdout,
    isTTY: Boolean(process.stdin.isTTY && process.stdout.isTTY),
    yes: flags.yes === true,
    // The live tree leaves the screen while a question is asked.
    suspendOutput: () => renderer?.()?.suspend() ?? (() => undefined),
    ...(lines ? { readline: lines } : {}),
  });
  const isTTY = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  // The sandbox chosen and MCP problems: on stderr, so that --json keeps stdout for events.
  const log = (level: 'info' | 'warn' | 'error', message: string): void => {
    if (level !== 'info' || flags.verbose) process.stderr.write(`moco: ${message}\n`);
  };
  const tools = await cliToolOptions(flags, process.env, isTTY, log);
  return MocoEngine.open({
    databaseFile: databaseFile(),
    bundledProfilesDir: bundledProfilesDir(),
    env: process.env,
    defaultWorkingDir: path.resolve(flags.workingDir ?? process.cwd()),
    approver,
    ...tools,
  });
}

/**
 * Runs a command's `action` with an engine (and, for commands that run agents, a renderer that
 * gets its events), then closes it. A failure ends as one line on stderr and exit status 1.
 */
export async function withCliEngine(
  flags: Pick<RunFlags, 'yes' | 'json' | 'workingDir' | 'sandbox' | 'sandboxImage' | 'policy' | 'verbose'>,
  action: (engine: MocoEngine) => Promise<void> | void,
  renderer?: Renderer,
): Promise<void> {
  let engine: MocoEngine | undefined;
  try {
    engine = await openCliEngine(flags, () => renderer);
    if (renderer) engine.onEvents((_sessionId, events) => renderer.onEvents(events));
    await action(engine);
  } catch (error) {
    renderer?.finish();
    failWith(messageOf(error));
  } finally {
    await engine?.close();
  }
}

/** Exit status of a cancelled command, as a shell reports SIGINT (128 + 2). */
export const EXIT_CANCELLED = 130;

/**
 * Calls `cancel` on the first Ctrl+C (saying so on stderr) and exits at once with
 * {@link EXIT_CANCELLED} on the second, until the returned function is called.
 */
export function onInterrupt(cancel: () => void): () => void {
  let interrupts = 0;
  const onSigint = (): void => {
    interrupts += 1;
    if (interrupts > 1) process.exit(EXIT_CANCELLED);
    process.stderr.write('\nCancelling… (Ctrl+C again to quit at once)\n');
    cancel();
  };
  process.on('SIGINT', onSigint);
  return () => process.off('SIGINT', onSigint);
}

/** How {@link withCancellableEngine} ends a command that failed or was cancelled. */
export interface CommandOutcomes {
  /** The line printed when Ctrl+C cancelled the command (exit status 130). */
  cancelled: string;
  /** The exit status of any other failure (default 1). */
  errorExit?: number;
}

/**
 * Runs `work` with an engine on `MOCO_HOME` and a signal that the first Ctrl+C aborts (see
 * {@link onInterrupt}), then closes the engine. Approval questions go to stderr. With a
 * `renderer`, it gets every event batch and is finished before anything is printed about the
 * outcome. A failure ends as one line on stderr: `outcomes.cancelled` with status 130 after a
 * Ctrl+C, else the error's message with `outcomes.errorExit`.
 */
export async function withCancellableEngine(
  flags: Pick<RunFlags, 'workingDir'>,
  work: (engine: MocoEngine, signal: AbortSignal) => Promise<void>,
  outcomes: CommandOutcomes,
  renderer?: Renderer,
): Promise<void> {
  const controller = new AbortController();
  const stopListening = onInterrupt(() => controller.abort());
  let engine: MocoEngine | undefined;
  try {
    // `json`: stdout holds the command's result (a message, a URL, findings), so an approval
    // question goes to stderr.
    engine = await openCliEngine({ json: true, ...(flags.workingDir ? { workingDir: flags.workingDir } : {}) }, () => renderer);
    if (renderer) engine.onEvents((_sessionId, events) => renderer.onEvents(events));
    await work(engine, controller.signal);
    renderer?.finish();
  } catch (error) {
    renderer?.finish();
    if (controller.signal.aborted) failWith(outcomes.cancelled, EXIT_CANCELLED);
    else failWith(messageOf(error), outcomes.errorExit);
  } finally {
    stopListening();
    await engine?.close();
  }
}

/** The renderer the flags and the terminal call for. */
export function cliRenderer(flags: RunFlags): Renderer {
  const tty = process.stdout.isTTY === true;
  // A terminal that reports no size (some ptys) cannot hold a redrawn tree: plain lines then.
  const sized = (process.stdout.rows ?? 0) > 0;
  return createRenderer({
    mode: flags.json ? 'json' : tty && sized ? 'tree' : 'plain',
    out: process.stdout,
    err: process.stderr,
    verbose: flags.verbose === true,
    showThinking: flags.thinking === true,
    stream: flags.stream,
    color: tty && !process.env.NO_COLOR,
  });
}

/** Writes `moco: <message>` on stderr, on one line, and sets a failing exit code. */
export function failWith(message: string, exitCode = 1): void {
  process.stderr.write(`moco: ${message.trim().replace(/\s*\n\s*/g, ' · ')}\n`);
  process.exitCode = exitCode;
}

/** The message of any thrown value. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
