/**
 * A real VS Code for the end-to-end tests: code-server, started on 127.0.0.1 with a private HOME,
 * user-data and extensions folder, the MOCO VSIX installed, and a copy of a fixture workspace open.
 * Recipe and flags: ../shared/ENVIRONMENT.md.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { codeServerEntry, nodeBinary, resultsDir, type CodeServerRelease } from './paths';

const run = promisify(execFile);

/** Settings that keep the workbench quiet and predictable (ENVIRONMENT.md). */
const quietSettings = {
  'workbench.startupEditor': 'none',
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.commandCenter.enabled': false,
  'workbench.tips.enabled': false,
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
};

export interface CodeServerOptions {
  release: CodeServerRelease;
  /** The VSIX to install. */
  vsix: string;
  /** More VSIX files to install beside it. */
  extraVsix?: string[];
  /** The folder to open; without it, VS Code opens with no folder (an empty window). */
  workspace?: string;
  /** Open a fresh copy of `workspace` (the default), or the folder itself. */
  copyWorkspace?: boolean;
  /** A name for the folders and the log. */
  label: string;
  /** Where HOME, user data and extensions live; a fresh temporary folder by default. */
  root?: string;
  /** The port on 127.0.0.1; a free one by default. */
  port?: number;
  /** Where code-server's own output goes; `test-results/<label>-code-server.log` by default. */
  logFile?: string;
  /** More user settings. */
  settings?: Record<string, unknown>;
  /** Files to create in the user-data folder before start, by path relative to it. */
  userDataFiles?: Record<string, string>;
}

export interface CodeServer {
  url: string;
  /** The folder that is open, if any. */
  workspace: string | undefined;
  userDataDir: string;
  /** code-server's own log (stdout and stderr). */
  logFile: string;
  stop(): Promise<void>;
}

/**
 * Installs the VSIX into fresh folders and starts code-server; resolves once `/healthz` answers.
 *
 * @throws {Error} when the release is not installed (run `scripts/test.sh`, which installs it), the
 *   VSIX is missing, the install fails, or code-server does not answer within 60 s.
 */
export async function launchCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const { release, vsix } = options;
  const node = nodeBinary(release);
  const entry = codeServerEntry(release);
  for (const [what, file] of [['Node', node], ['code-server', entry], ['VSIX', vsix]] as const) {
    if (!existsSync(file)) {
      throw new Error(`${what} for code-server ${release.codeServer} is missing at ${file}. Run "npm test" (scripts/test.sh), which installs it.`);
    }
  }
  const root = options.root ?? (await mkdtemp(path.join(tmpdir(), `moco-e2e-${options.label}-`)));
  const home = path.join(root, 'home');
  const userDataDir = path.join(root, 'user-data');
  const extensionsDir = path.join(root, 'extensions');
  await Promise.all([home, extensionsDir, path.join(userDataDir, 'User')].map((d) => mkdir(d, { recursive: true })));
  let workspace = options.workspace;
  if (workspace && options.copyWorkspace !== false) {
    const copy = path.join(root, 'workspace');
    await cp(workspace, copy, { recursive: true });
    workspace = copy;
  }
  for (const [relative, content] of Object.entries(options.userDataFiles ?? {})) {
    const file = path.join(userDataDir, relative);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, content);
  }
  await writeFile(
    path.join(userDataDir, 'User', 'settings.json'),
    JSON.stringify({ ...quietSettings, ...options.settings }, null, 2),
  );
  const env = {
    ...process.env,
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_DATA_HOME: path.join(home, '.local', 'share'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
    PATH: `${path.dirname(node)}:${process.env.PATH ?? ''}`,
  };
  const dirs = ['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
  const installs = [vsix, ...(options.extraVsix ?? [])].flatMap((file) => ['--install-extension', file]);
  await run(node, [entry, ...dirs, ...installs, '--force'], { env, timeout: 120_000 });

  const port = options.port ?? (await freePort());
  const logFile = options.logFile ?? path.join(resultsDir, `${options.label}-code-server.log`);
  await mkdir(path.dirname(logFile), { recursive: true });
  const log = createWriteStream(logFile);
  const child = spawn(
    node,
    [
      entry,
      ...dirs,
      '--bind-addr', `127.0.0.1:${port}`,
      '--auth', 'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      ...(workspace ? [workspace] : []),
    ],
    { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const url = `http://127.0.0.1:${port}/`;
  const stop = async (): Promise<void> => {
    await stopGroup(child);
    // A temporary root is ours to remove; the log stays.
    if (!options.root) await rm(root, { recursive: true, force: true });
  };
  try {
    await waitForHealth(url, child, 60_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, workspace, userDataDir, logFile, stop };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited with code ${child.exitCode} before answering /healthz.`);
    try {
      const response = await fetch(new URL('healthz', url));
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`code-server did not answer ${url}healthz within ${timeoutMs} ms.`);
}

/**
 * code-server outlives its browser and spawns helpers (extension host, MOCO's server): end its
 * whole process group, even when the leader has already exited. SIGTERM, then SIGKILL after 5 s.
 */
async function stopGroup(child: ChildProcess): Promise<void> {
  const pid = child.pid;
  if (pid === undefined) return;
  const signal = (s: NodeJS.Signals): void => {
    try {
      process.kill(-pid, s);
    } catch {
      // the group is gone
    }
  };
  const leaderRunning = child.exitCode === null && child.signalCode === null;
  const exited = leaderRunning ? new Promise<void>((resolve) => child.once('exit', () => resolve())) : Promise.resolve();
  signal('SIGTERM');
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
  signal('SIGKILL');
}
