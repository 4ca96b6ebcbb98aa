/**
 * Runs the real `moco` CLI (`dist/cli.js`, built by `npm run build`) as a child process, in a
 * sandbox of temporary folders: `MOCO_HOME` (its SQLite database), `MOCO_PROFILES_DIR` and a
 * workspace that is a real git repository. The CLI talks to a mock LLM on 127.0.0.1 through
 * `OPENAI_API_KEY` + `OPENAI_BASE_URL`; nothing of the developer's environment (provider keys,
 * `~/.moco`) reaches it.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import type { RunEvent } from '../../protocol/run';
import type { SessionDetail, SessionSummary } from '../../protocol/sessions';
import { startMockLlm, type MockLlm, type MockLlmOptions, type MockRequest, type MockScript } from './mockLlm';
import { repoRoot } from './repo';

const execFileAsync = promisify(execFile);

/** The CLI bundle. */
export const cliPath = path.join(repoRoot, 'dist', 'cli.js');

/** MOCO's own profiles (shared/fixtures/moco-profiles beside the repository). */
export const mocoProfilesFixture = path.resolve(repoRoot, '../shared/fixtures/moco-profiles');

/** How long a CLI process may run before the harness kills it (ms): a safety net, not an assertion. */
const DEFAULT_TIMEOUT_MS = 25_000;

/** A finished CLI process. `code` is null when it was ended by a signal. */
export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** True when the harness had to kill it after its timeout. */
  timedOut: boolean;
}

/** Options of one CLI process. */
export interface CliOptions {
  /** Variables added to (or, with '', removed from) the sandbox's environment. */
  env?: Record<string, string>;
  /** Written to stdin, which is then closed. Default: stdin closed at once (no terminal). */
  input?: string;
  /** Kill the process after this many ms. Default 25,000. */
  timeoutMs?: number;
  /** The current directory of the process. Default: the sandbox's workspace. */
  cwd?: string;
}

/** A CLI process that runs. */
export interface CliProcess {
  child: ChildProcess;
  /** stdout so far. */
  stdout(): string;
  /** stderr so far. */
  stderr(): string;
  /** The `--json` events printed so far. */
  events(): RunEvent[];
  /**
   * Resolves once `condition` holds, checked every 20 ms.
   * @throws {Error} naming `what` when the process ends first or after `timeoutMs` (default 15,000).
   */
  waitFor(condition: () => boolean, what: string, timeoutMs?: number): Promise<void>;
  /** Resolves when the process has ended. Never rejects. */
  exited: Promise<CliResult>;
}

/** The temporary folders and the mock of one test. */
export interface Sandbox {
  root: string;
  /** `MOCO_HOME`. */
  home: string;
  /** `MOCO_PROFILES_DIR`. */
  profilesDir: string;
  /** The working directory of the agents: a git repository (its real path). */
  workspace: string;
  /** Starts the mock LLM the CLI talks to; `cleanup` closes it. */
  startMock(script: MockScript, options?: MockLlmOptions): Promise<MockLlm>;
  /** The CLI's environment: only what MOCO needs, pointing at the mock once it runs. */
  env(extra?: Record<string, string>): NodeJS.ProcessEnv;
  /** Starts `moco ARGS`. */
  start(args: string[], options?: CliOptions): CliProcess;
  /** Runs `moco ARGS` to its end. */
  run(args: string[], options?: CliOptions): Promise<CliResult>;
  /** `moco sessions list --json`. @throws {Error} when it fails. */
  sessionsList(options?: CliOptions): Promise<SessionSummary[]>;
  /** `moco sessions show ID --json`. @throws {Error} when it fails. */
  showSession(id: string, options?: CliOptions): Promise<SessionDetail>;
  /** Kills processes still running, closes the mock, removes the folders. */
  cleanup(): Promise<void>;
}

/**
 * Creates the folders of a sandbox and `git init`s the workspace.
 * @throws {Error} when `dist/cli.js` has not been built.
 */
export async function createSandbox(): Promise<Sandbox> {
  if (!existsSync(cliPath)) throw new Error(`${cliPath} is missing: run \`npm run build\` before these tests.`);
  const root = await realpath(await mkdtemp(path.join(tmpdir(), 'moco-cli-')));
  const home = path.join(root, 'home');
  const profilesDir = path.join(root, 'profiles');
  const workspace = path.join(root, 'workspace');
  await Promise.all([mkdir(home), mkdir(profilesDir), mkdir(workspace)]);
  await execFileAsync('git', ['init', '--quiet', workspace]);
  let mock: MockLlm | undefined;
  const children = new Set<ChildProcess>();

  const env = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => {
    const base: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: root,
      MOCO_HOME: home,
      MOCO_PROFILES_DIR: profilesDir,
      NO_COLOR: '1',
      ...(mock ? { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: mock.baseURL } : {}),
    };
    for (const [name, value] of Object.entries(extra)) {
      if (value === '') delete base[name];
      else base[name] = value;
    }
    return base;
  };

  const start = (args: string[], options: CliOptions = {}): CliProcess => {
    const proc = startCli(args, env(options.env), { cwd: workspace, ...options });
    children.add(proc.child);
    void proc.exited.then(() => children.delete(proc.child));
    return proc;
  };

  const run = (args: string[], options: CliOptions = {}): Promise<CliResult> => start(args, options).exited;

  const json = async <T>(args: string[], options?: CliOptions): Promise<T> => {
    const result = await run(args, options);
    if (result.code !== 0) throw new Error(`moco ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
    return JSON.parse(result.stdout) as T;
  };

  return {
    root,
    home,
    profilesDir,
    workspace,
    async startMock(script, options) {
      mock = await startMockLlm(script, options);
      return mock;
    },
    env,
    start,
    run,
    sessionsList: (options) => json<SessionSummary[]>(['sessions', 'list', '--json'], options),
    showSession: (id, options) => json<SessionDetail>(['sessions', 'show', id, '--json'], options),
    async cleanup() {
      for (const child of children) child.kill('SIGKILL');
      await mock?.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}

function startCli(args: string[], env: NodeJS.ProcessEnv, options: CliOptions): CliProcess {
  const child = spawn(process.execPath, [cliPath, ...args], { cwd: options.cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let ended = false;
  let timedOut = false;
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdin.on('error', () => {}); // the CLI may exit before reading all its input
  child.stdin.end(options.input ?? '');
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const exited = new Promise<CliResult>((resolve) => {
    child.on('close', (code, signal) => {
      ended = true;
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut });
    });
  });
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    events: () => parseEvents(stdout),
    async waitFor(condition, what, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (!condition()) {
        if (ended) throw new Error(`The CLI ended before ${what}.\nstdout:\n${stdout}\nstderr:\n${stderr}`);
        if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.\nstdout:\n${stdout}\nstderr:\n${stderr}`);
        await sleep(20);
      }
    },
    exited,
  };
}

/** The run events of `--json` output: one JSON object per line; other lines are ignored. */
export function parseEvents(stdout: string): RunEvent[] {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as RunEvent);
}

/** The events of one kind. */
export function eventsOfKind<K extends RunEvent['kind']>(events: RunEvent[], kind: K): Extract<RunEvent, { kind: K }>[] {
  return events.filter((event): event is Extract<RunEvent, { kind: K }> => event.kind === kind);
}

/** The contents of the `tool` messages of a request, in order. */
export function toolResults(request: MockRequest): string[] {
  return (request.body.messages ?? []).flatMap((message) =>
    message.role === 'tool' && typeof message.content === 'string' ? [message.content] : [],
  );
}

/** The last non-empty line of a text. */
export function lastLine(text: string): string {
  return text.trimEnd().split('\n').at(-1) ?? '';
}
