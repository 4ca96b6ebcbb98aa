/**
 * Starts the process of a background task: the `moco` CLI (`dist/cli.js run --json --session
 * <id>`) on the server's own database, detached from the server so that it outlives a window
 * reload and a server restart. Its stdout and stderr go to the task's log file.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import * as path from 'node:path';
import { MocoErrorCodes } from '../../../protocol/errors';
import { MocoError } from '../orchestrator/errors';

/** Where and how the task processes run. */
export interface TaskLauncher {
  /** The JavaScript runtime: the server's own `process.execPath` (VS Code's Electron, or Node). */
  execPath: string;
  /** Absolute path of `dist/cli.js`. */
  cliScript: string;
  /** The server's storage folder: the CLI's `MOCO_HOME`, holding `moco.db` and `tasks/`. */
  storagePath: string;
}

/** One task to start. */
export interface TaskProcessInput {
  /** The task's session, already stored (kind `task`) with its profile, model and working directory. */
  sessionId: string;
  /** The user's task text. */
  text: string;
  /** The working directory (the session's). */
  workingDir: string;
  /**
   * The process's whole environment: the run's (with the editor's API keys and base URL, which
   * thus reach only this process, never a file).
   */
  env: Record<string, string | undefined>;
  /** Absolute path of the log file; appended to. */
  logFile: string;
}

/** The log file of a task: `<storage>/tasks/<sessionId>.log`. */
export function taskLogFile(storagePath: string, sessionId: string): string {
  return path.join(storagePath, 'tasks', `${sessionId}.log`);
}

/**
 * Spawns the task process: `<execPath> <cliScript> run --json --session <id> -- <text>`, with
 * `MOCO_HOME` set to the storage folder and `ELECTRON_RUN_AS_NODE=1` (so that VS Code's Electron
 * runs it as plain Node), detached (its own process group), unreferenced, stdin closed, stdout and
 * stderr appended to the log file.
 *
 * @returns the child, once it has a pid.
 * @throws {MocoError} `Internal` when the process cannot be started (its log says why too).
 */
export async function spawnTaskProcess(launcher: TaskLauncher, input: TaskProcessInput): Promise<ChildProcess> {
  mkdirSync(path.dirname(input.logFile), { recursive: true });
  const log = openSync(input.logFile, 'a');
  let child: ChildProcess;
  try {
    const env: NodeJS.ProcessEnv = {};
    for (const [name, value] of Object.entries(input.env)) if (value !== undefined) env[name] = value;
    env.MOCO_HOME = launcher.storagePath;
    env.ELECTRON_RUN_AS_NODE = '1';
    child = spawn(launcher.execPath, [launcher.cliScript, 'run', '--json', '--session', input.sessionId, '--', input.text], {
      cwd: input.workingDir,
      env,
      detached: true,
      stdio: ['ignore', log, log],
      windowsHide: true,
    });
  } finally {
    // The child has its own copy of the descriptor.
    closeSync(log);
  }
  if (child.pid === undefined) {
    const [error] = (await once(child, 'error')) as [Error];
    throw new MocoError(MocoErrorCodes.Internal, `The background task could not be started: ${error.message}.`);
  }
  child.unref();
  return child;
}
