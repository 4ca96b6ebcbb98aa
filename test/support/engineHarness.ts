/**
 * A real {@link MocoEngine} in a temporary folder: a SQLite file, a working directory, and a test
 * team written as a profile (test/support/teams.ts), with the provider chosen by the caller (an
 * in-process one through `providerFactory`, or the HTTP mock through `OPENAI_BASE_URL`). Used by
 * the orchestrator's unit tests and by `npm run bench:orchestrator`.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { ChatSendParams, RunEvent, RunNode } from '../../protocol/run';
import { MocoEngine, type StartedRun } from '../../server/src/engine/engine';
import type { ProviderFactory } from '../../server/src/engine/modelResolver';
import type { Approver } from '../../server/src/orchestrator/approvals';
import type { ModelProvider } from '../../server/src/providers/types';
import { repoRoot } from './repo';
import { writeTeam, type TeamOptions } from './teams';

/** The {@link RunEvent} of one kind. */
export type EventOf<K extends RunEvent['kind']> = Extract<RunEvent, { kind: K }>;

/** How the engine is set up. */
export interface HarnessOptions {
  team: TeamOptions;
  /** An in-process provider for every agent; absent: the real `openai` SDK adapter. */
  provider?: ModelProvider;
  /** Builds the providers instead (for example the real adapter wrapped to time it); wins over `provider`. */
  providerFactory?: ProviderFactory;
  /** Extra environment, for example `OPENAI_BASE_URL` of the HTTP mock or `MOCO_REQUIRE_APPROVAL`. */
  env?: Record<string, string>;
  approver?: Approver;
}

/** An engine over a temporary folder, and what it emitted. */
export interface EngineHarness {
  /** The temporary folder (removed by {@link EngineHarness.dispose}). */
  dir: string;
  /** The working directory the tools are confined to. */
  workDir: string;
  databaseFile: string;
  engine: MocoEngine;
  /** Every event batch the engine's listener received, flattened, in order. */
  events: RunEvent[];
  /** Sends a message to the team (the profile is the team's unless given). */
  send(text: string, params?: Omit<ChatSendParams, 'text'>): Promise<StartedRun>;
  /** Sends and waits for the root's final node. */
  run(text: string, params?: Omit<ChatSendParams, 'text'>): Promise<RunNode>;
  /** Opens another engine on the same database file (as a restarted process would). */
  reopen(options?: { provider?: ModelProvider; approver?: Approver }): MocoEngine;
  /** Resolves with the first event of `kind`, already seen or to come, that `match` accepts. */
  waitForEvent<K extends RunEvent['kind']>(kind: K, match?: (event: EventOf<K>) => boolean): Promise<EventOf<K>>;
  /** Closes the engine (cancelling what still runs) and removes the folder. */
  dispose(): Promise<void>;
  /**
   * Removes the folder but leaves the first engine as it is, open and with its runs hanging, as a
   * killed process leaves its work: nothing it would write on closing can disturb another engine
   * that took its runs over.
   */
  abandon(): Promise<void>;
}

/** The environment of a harness: a key so that `openai` is chosen, a known model, the team. */
function baseEnv(profilesDir: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    MOCO_PROFILES_DIR: profilesDir,
    MOCO_DEFAULT_PROVIDER: 'openai',
    OPENAI_API_KEY: 'test-key',
    OPENAI_MODEL: 'gpt-4.1-mini',
    ...extra,
  };
}

/** Creates the folder, writes the team, and opens the engine. */
export async function startHarness(options: HarnessOptions): Promise<EngineHarness> {
  const dir = await mkdtemp(path.join(tmpdir(), 'moco-orchestrator-'));
  const workDir = path.join(dir, 'work');
  const profilesDir = path.join(dir, 'profiles');
  await mkdir(workDir, { recursive: true });
  await writeTeam(profilesDir, options.team);
  const databaseFile = path.join(dir, 'moco.db');
  const env = baseEnv(profilesDir, options.env);
  const open = (provider: ModelProvider | undefined, approver: Approver | undefined): MocoEngine => {
    const providerFactory: ProviderFactory | undefined = options.providerFactory ?? (provider ? () => provider : undefined);
    return MocoEngine.open({
      databaseFile,
      bundledProfilesDir: path.join(repoRoot, 'profiles'),
      env,
      defaultWorkingDir: workDir,
      ...(providerFactory ? { providerFactory } : {}),
      ...(approver ? { approver } : {}),
    });
  };
  const engine = open(options.provider, options.approver);
  const events: RunEvent[] = [];
  const waiters: { match: (event: RunEvent) => boolean; resolve: (event: RunEvent) => void }[] = [];
  const observe = (batch: RunEvent[]): void => {
    for (const event of batch) {
      events.push(event);
      for (const waiter of [...waiters]) {
        if (waiter.match(event)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(event);
        }
      }
    }
  };
  engine.onEvents((_sessionId, batch) => observe(batch));
  const send = (text: string, params: Omit<ChatSendParams, 'text'> = {}): Promise<StartedRun> =>
    engine.send({ profile: options.team.name, ...params, text });
  return {
    dir,
    workDir,
    databaseFile,
    engine,
    events,
    send,
    run: async (text, params) => (await send(text, params)).done,
    reopen: (reopened = {}) => {
      const other = open(reopened.provider ?? options.provider, reopened.approver);
      other.onEvents((_sessionId, batch) => observe(batch));
      return other;
    },
    waitForEvent: <K extends RunEvent['kind']>(kind: K, match: (event: EventOf<K>) => boolean = () => true) => {
      const accepts = (event: RunEvent): event is EventOf<K> => event.kind === kind && match(event as EventOf<K>);
      const seen = events.find(accepts);
      if (seen) return Promise.resolve(seen);
      return new Promise<EventOf<K>>((resolve) => waiters.push({ match: accepts, resolve: (event) => resolve(event as EventOf<K>) }));
    },
    dispose: async () => {
      await engine.close();
      await rm(dir, { recursive: true, force: true });
    },
    abandon: () => rm(dir, { recursive: true, force: true }),
  };
}
