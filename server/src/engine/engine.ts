/**
 * The engine: the orchestrator with its storage, profiles and providers, as one object that the
 * JSON-RPC handlers and the `moco` CLI share. It only composes; the work is done by the modules
 * it calls.
 */
import { MocoErrorCodes } from '../../../protocol/errors';
import type { ProfilesListResult } from '../../../protocol/profiles';
import type { ApprovalDecision, ChatMessage, ChatSendParams, RunEvent, RunNode } from '../../../protocol/run';
import type { SessionDetail, SessionSummary } from '../../../protocol/sessions';
import { ApprovalGate, type Approver } from '../orchestrator/approvals';
import type { ModelBinding, ModelResolver, TreeContext } from '../orchestrator/context';
import { MocoError } from '../orchestrator/errors';
import { SessionEventSink, type EventListener } from '../orchestrator/eventSink';
import { RunTree } from '../orchestrator/runTree';
import { resumeTree, startParallelTree, startTree, type RunningTree } from '../orchestrator/treeRun';
import { listProfiles } from '../profiles';
import { loadEnv, type ConfigSurface } from '../providers/config';
import type { CredentialSource } from '../providers/runEnv';
import { openDatabase, type MocoDatabase } from '../storage/database';
import { ownerAlive, processOwner } from '../storage/runs';
import { nameFromMessage } from '../storage/sessions';
import { BASE_TOOL_NAMES, createBaseToolRegistry } from '../tools/baseTools';
import type { ToolRegistry } from '../tools/registry';
import type { AuditEntry as WireAuditEntry, AuditListParams } from '../../../protocol/audit';
import type { McpServerStatus } from '../../../protocol/mcp';
import type { ToolSettings } from '../../../protocol/settings';
import type { ReviewFixParams } from '../../../protocol/review';
import type { PolicyDecision, PolicyRule } from '../policy';
import type { SymbolService } from '../tools/services';
import { mocoVersion } from '../version';
import { ActiveRuns } from './activeRuns';
import { chooseFixer, fixAllTask, fixTask } from './reviewFix';
import { ToolHost, type ToolLog, type TreeTools } from './toolHost';
import { createModelResolver, type ProviderFactory } from './modelResolver';
import { resolveSendTarget, resolveWorkingDir, splitSessionModel, type SendTarget, type TargetDefaults } from './sendTarget';

/** How the engine is set up. */
export interface EngineOptions extends EngineSettings {
  /** The SQLite file (its folder must exist). */
  databaseFile: string;
}

/** Everything but the database. */
export interface EngineSettings {
  /** Absolute path of the bundled `profiles/` folder. */
  bundledProfilesDir: string;
  /** The process environment (provider keys, `MOCO_PROFILES_DIR`...). */
  env: Record<string, string | undefined>;
  /** Working directory when neither the request nor the session gives one. */
  defaultWorkingDir: string;
  /** Answers approvals itself (the CLI); without it they wait for {@link MocoEngine.respondApproval}. */
  approver?: Approver;
  /** Builds providers; the default is the `openai` SDK adapter with a process-wide circuit breaker. */
  providerFactory?: ProviderFactory;
  /**
   * Who reads configuration errors: `cli` (the default) names flags and variables, `editor` the
   * VS Code commands ("MOCO: Set API Key") and settings.
   */
  surface?: ConfigSurface;
  /**
   * The editor's API keys, asked before each send and resume for the providers whose key
   * variables are unset (providers/runEnv.ts); kept in the run's environment in memory only.
   */
  credentials?: CredentialSource;
  /**
   * Receives every stored event batch from the start, including the `statusChanged interrupted`
   * events of the nodes an earlier process left running. (Later listeners: {@link MocoEngine.onEvents}.)
   */
  onEvents?: EventListener;
  /** The tool settings, asked before each tree (the editor's `settings/get`; the CLI's flags). Default: the settings' defaults. */
  toolSettings?: () => Promise<ToolSettings>;
  /** The command policy's decision for commands no rule covers. Default `ask`. See ToolHostOptions. */
  unknownCommands?: PolicyDecision;
  /** The CLI's `--policy` file. */
  policyFile?: { rules: PolicyRule[]; defaultDecision?: PolicyDecision };
  /** Symbol search for `find_definition`/`find_references`; default tree-sitter. */
  symbols?: (workingDir: string) => SymbolService;
  /** Lines for the user about the tools' environment (the sandbox chosen, MCP problems). Default: none. */
  log?: ToolLog;
  /** The MCP servers' status after each change. */
  onMcpStatus?: (servers: McpServerStatus[]) => void;
  /**
   * A GitHub token for pull requests: the editor's GitHub sign-in (`github/session`); the CLI's
   * `GITHUB_TOKEN`. `interactive` is true when the user started the request and may be asked to
   * sign in. Resolves undefined when there is none. Default: `GITHUB_TOKEN` of {@link env}.
   */
  githubToken?: (interactive: boolean) => Promise<string | undefined>;
}

/** The model of a one-shot call (a commit message, a pull request's text), with what it was resolved from. */
export interface ModelFor {
  /** The working directory, profile, environment (with `.env` and the editor's keys), provider and entry agent. */
  target: SendTarget;
  /** The entry agent's model, with its cost function. */
  binding: ModelBinding;
}

/**
 * The tools whose every call needs approval: `MOCO_REQUIRE_APPROVAL`, a comma-separated list of
 * tool names (for example `write_file,edit_file`), read from the environment and `.env`.
 */
export function requiredApprovals(env: Record<string, string | undefined>): Set<string> {
  return new Set((env.MOCO_REQUIRE_APPROVAL ?? '').split(',').map((name) => name.trim()).filter((name) => name !== ''));
}

/** A run that has started. */
export interface StartedRun {
  sessionId: string;
  runId: string;
  /** Resolves with the root's final node. Never rejects. */
  done: Promise<RunNode>;
}

/** The orchestration engine of one process. */
export class MocoEngine {
  private readonly sinks = new Map<string, SessionEventSink>();
  private readonly gates = new Map<string, ApprovalGate>();
  private readonly listeners = new Set<EventListener>();
  private readonly active = new ActiveRuns();
  /** Sessions whose send or resume is being prepared (see {@link MocoEngine.reserved}). */
  private readonly starting = new Set<string>();
  private readonly registry: ToolRegistry = createBaseToolRegistry();
  private readonly resolveModelFor: ReturnType<typeof createModelResolver>;
  private readonly tools: ToolHost;

  private constructor(
    /** The database, for the services composed on the engine (background tasks); the engine closes it. */
    readonly db: MocoDatabase,
    private readonly options: EngineSettings,
    /** Nodes the previous process left running: now `interrupted`. */
    readonly interrupted: RunNode[],
  ) {
    this.resolveModelFor = createModelResolver(options.providerFactory);
    this.tools = new ToolHost({
      audit: db.audit,
      unknownCommands: options.unknownCommands ?? 'ask',
      log: options.log ?? (() => undefined),
      version: mocoVersion,
      ...(options.toolSettings ? { toolSettings: options.toolSettings } : {}),
      ...(options.policyFile ? { policyFile: options.policyFile } : {}),
      ...(options.symbols ? { symbols: options.symbols } : {}),
      ...(options.onMcpStatus ? { onMcpStatus: options.onMcpStatus } : {}),
      githubToken: (interactive) => this.githubToken(interactive),
    });
    if (options.onEvents) this.listeners.add(options.onEvents);
    // Stored like any event, so that replaying a session's events shows what became of them.
    for (const node of interrupted) this.sink(node.sessionId).emit({ runId: node.id, kind: 'statusChanged', status: 'interrupted' });
  }

  /**
   * Opens the database and marks what an earlier process left running as `interrupted`.
   * @throws {StorageError} when the database cannot be opened.
   */
  static open(options: EngineOptions): MocoEngine {
    return MocoEngine.fromDatabase(openDatabase(options.databaseFile), options);
  }

  /** An engine on an open database, which it then owns (and closes). */
  static fromDatabase(db: MocoDatabase, settings: EngineSettings): MocoEngine {
    return new MocoEngine(db, settings, db.runs.markInterrupted());
  }

  /** Adds a listener for stored event batches. @returns a function that removes it. */
  onEvents(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Starts a run tree for a user message.
   * @throws {MocoError} `SessionNotFound`, `RunInProgress`, `InvalidRequest`; profile and provider
   *   errors with their codes.
   */
  async send(params: ChatSendParams): Promise<StartedRun> {
    return this.onSession(params, (sent, existing) => this.startSend(sent, existing));
  }

  /**
   * Runs `start` for a new tree of `params.sessionId` (reserved while it starts) or of a new
   * session. A send that names no provider keeps the session's endpoint, base URL included.
   * @throws {MocoError} `SessionNotFound`, `RunInProgress`; what `start` throws.
   */
  private async onSession(params: ChatSendParams, start: (params: ChatSendParams, existing: SessionSummary | undefined) => Promise<StartedRun>): Promise<StartedRun> {
    const existing = params.sessionId ? this.requireSession(params.sessionId) : undefined;
    if (!existing) return start(params, undefined);
    const storedBaseURL = params.baseURL || params.provider ? undefined : this.db.sessions.baseURL(existing.id);
    return this.reserved(existing.id, () => start(storedBaseURL ? { ...params, baseURL: storedBaseURL } : params, existing));
  }

  /**
   * Stores the session (new, or its profile and model updated) and starts `begin`'s tree in it. A
   * new session says once what the profile could not give (tools this project lacks...).
   */
  private launch(existing: SessionSummary | undefined, target: SendTarget, text: string, resolveModel: ModelResolver, tools: TreeTools, begin: (context: TreeContext) => RunningTree): StartedRun {
    const session = this.saveSession(existing, target, text);
    const context = this.treeContext(session.id, target, resolveModel, tools);
    const running = begin(context);
    if (!existing) for (const message of target.profile.warnings) context.sink.emit({ runId: running.rootId, kind: 'warning', message });
    return this.track(session.id, context, running);
  }

  /**
   * Resolves what a send would run (working directory, profile, provider and keys, agent) and
   * checks that the entry agent's model resolves, without storing or starting anything.
   * @throws the errors of {@link MocoEngine.send}.
   */
  async resolveTarget(params: ChatSendParams): Promise<SendTarget> {
    return (await this.modelFor(params)).target;
  }

  /**
   * Marks as `interrupted` the nodes whose owner process is gone (another process's, never this
   * one's), storing and sending a `statusChanged` event for each, as at start-up.
   * @returns the nodes it changed.
   */
  reapInterrupted(): RunNode[] {
    const own = processOwner();
    const nodes = this.db.runs.markInterrupted((owner) => owner === own || ownerAlive(owner));
    for (const node of nodes) this.sink(node.sessionId).emit({ runId: node.id, kind: 'statusChanged', status: 'interrupted' });
    return nodes;
  }

  /**
   * The model a one-shot call runs on: the one a send with `params` would give its entry agent
   * (the profile's orchestrator, or the agent a leading `@agent` line names). Nothing is stored.
   * @throws the errors of {@link MocoEngine.send} (profile, provider, working directory).
   */
  async modelFor(params: ChatSendParams): Promise<ModelFor> {
    const target = await resolveSendTarget(params, undefined, this.targetDefaults());
    return { target, binding: this.modelResolver(target)(target.agent) };
  }

  /** A GitHub token (see {@link EngineSettings.githubToken}); undefined when there is none. */
  githubToken(interactive: boolean): Promise<string | undefined> {
    if (this.options.githubToken) return this.options.githubToken(interactive);
    return Promise.resolve(this.options.env.GITHUB_TOKEN || undefined);
  }

  /** Whether a run tree of the session runs in this process. */
  isRunning(sessionId: string): boolean {
    return this.active.bySession(sessionId) !== undefined;
  }

  private async startSend(params: ChatSendParams, existing: SessionSummary | undefined): Promise<StartedRun> {
    const target = await resolveSendTarget(params, existing, this.targetDefaults());
    const history = existing ? this.history(existing.id) : [];
    // The entry agent's own model (`model:` in its file) must resolve before anything is stored.
    const resolveModel = this.modelResolver(target);
    resolveModel(target.agent);
    const tools = await this.tools.prepareTree(target.workingDir, target.profile, this.registry);
    return this.launch(existing, target, params.text, resolveModel, tools, (context) => startTree(context, entryAgentOf(tools, target), target.task, history));
  }

  /**
   * Starts a tree that fixes review findings (`review/fix`): its root hands each finding to a fix
   * sub-agent (reviewFix.ts `chooseFixer`), all in parallel, bounded by `max_parallel_tasks`.
   * @throws the errors of {@link MocoEngine.send}; `InvalidRequest` for an empty list.
   */
  async fixFindings(params: ReviewFixParams): Promise<StartedRun> {
    if (params.findings.length === 0) throw new MocoError(MocoErrorCodes.InvalidRequest, 'There are no findings to fix. Run a review first (MOCO: Review Current File).');
    const { findings, sessionId, ...fields } = params;
    const text = fixAllTask(findings);
    return this.onSession({ ...fields, text, ...(sessionId ? { sessionId } : {}) }, async (sent, existing) => {
      const target = await resolveSendTarget(sent, existing, this.targetDefaults());
      const resolveModel = this.modelResolver(target);
      const tools = await this.tools.prepareTree(target.workingDir, target.profile, this.registry);
      const entry = entryAgentOf(tools, target);
      const fixer = chooseFixer(tools.profile, entry);
      resolveModel(entry);
      resolveModel(fixer);
      return this.launch(existing, target, text, resolveModel, tools, (context) =>
        startParallelTree(context, entry, text, findings.map((finding) => ({ agent: fixer, task: fixTask(finding) }))),
      );
    });
  }

  /**
   * Resumes an interrupted run tree of this database.
   * @throws {MocoError} `RunNotFound`, `RunNotResumable`, `RunInProgress`.
   */
  async resume(runId: string): Promise<StartedRun> {
    const stored = this.db.runs.get(runId);
    if (!stored) throw new MocoError(MocoErrorCodes.RunNotFound, `No run ${runId} in this session store.`);
    const root = stored.parentId ? this.db.runs.get(stored.rootId) : stored;
    if (!root || root.status !== 'interrupted') {
      throw new MocoError(MocoErrorCodes.RunNotResumable, `Run ${runId} is ${root?.status ?? 'missing'}, not interrupted: there is nothing to resume.`);
    }
    const session = this.requireSession(root.sessionId);
    return this.reserved(session.id, () => this.startResume(session, root));
  }

  private async startResume(session: SessionSummary, root: RunNode): Promise<StartedRun> {
    const { provider, model } = splitSessionModel(session.model);
    const baseURL = this.db.sessions.baseURL(session.id);
    const target = await resolveSendTarget(
      { text: `@${root.agent} ${root.task}`, provider: `${provider}/${model}`, ...(baseURL ? { baseURL } : {}) },
      session,
      this.targetDefaults(),
    );
    const tools = await this.tools.prepareTree(target.workingDir, target.profile, this.registry);
    const context = this.treeContext(session.id, target, this.modelResolver(target), tools, root.id);
    return this.track(session.id, context, resumeTree(context, root));
  }

  /** Cancels a node and its descendants. @returns false when it is not running here. */
  cancel(runId: string): boolean {
    const entry = this.active.byNode(runId);
    return entry ? entry.tree.cancel(runId) : false;
  }

  /** Answers a pending approval. @returns false when it is not pending. */
  respondApproval(approvalId: string, decision: ApprovalDecision): boolean {
    for (const gate of this.gates.values()) if (gate.respond(approvalId, decision)) return true;
    return false;
  }

  /** Sessions, most recently updated first. */
  listSessions(): SessionSummary[] {
    return this.db.sessions.list();
  }

  /** A session with its runs and events. @throws {MocoError} `SessionNotFound`. */
  getSession(sessionId: string): SessionDetail {
    const session = this.requireSession(sessionId);
    return { session, runs: this.db.runs.listBySession(sessionId), events: this.db.events.list(sessionId) };
  }

  /** The messages of one run, as the model saw them. */
  messages(runId: string): ChatMessage[] {
    return this.db.messages.list(runId);
  }

  /** Renames a session. @throws {MocoError} `SessionNotFound`. */
  renameSession(sessionId: string, name: string): SessionSummary {
    const renamed = this.db.sessions.rename(sessionId, name);
    if (!renamed) throw this.sessionNotFound(sessionId);
    return renamed;
  }

  /** Deletes a session, its sandbox and its background processes. @throws {MocoError} `RunInProgress` while one of its runs runs. */
  deleteSession(sessionId: string): boolean {
    this.assertIdle(sessionId);
    void this.tools.disposeSession(sessionId);
    return this.db.sessions.delete(sessionId);
  }

  /** The tool settings now (the editor's, or the CLI's), for a background task to take along. */
  toolSettings(): Promise<ToolSettings> {
    return this.tools.settings();
  }

  /** The MCP servers' status, as last known. */
  mcpStatus(): McpServerStatus[] {
    return this.tools.status();
  }

  /** Restarts an MCP server (lifting a quarantine). @throws {MocoError} `InvalidRequest` for an unknown name. */
  async restartMcp(name: string): Promise<McpServerStatus> {
    try {
      return await this.tools.restartMcp(name);
    } catch (error) {
      throw new MocoError(MocoErrorCodes.InvalidRequest, error instanceof Error ? error.message : String(error));
    }
  }

  /** The command policy's decisions, newest first (`audit/list`). */
  auditLog(params: AuditListParams): WireAuditEntry[] {
    return this.db.audit.list({ ...(params.sessionId ? { sessionId: params.sessionId } : {}), limit: params.limit ?? 500 }).map((row) => ({
      at: row.time,
      sessionId: row.sessionId,
      runId: row.runId,
      agent: row.agent,
      tool: row.tool,
      command: row.command,
      decision: row.decision,
      rule: row.rulePattern ? `"${row.rulePattern}" (${row.ruleSource})` : 'default',
      outcome: row.outcome,
      reason: row.reason,
    }));
  }

  /** The profiles visible from a working directory. */
  async listProfiles(workingDir?: string): Promise<ProfilesListResult> {
    const dir = await resolveWorkingDir(workingDir ?? this.options.defaultWorkingDir);
    const env = loadEnv(dir, this.options.env);
    return listProfiles({ workingDir: dir, env, bundledDir: this.options.bundledProfilesDir, knownTools: BASE_TOOL_NAMES });
  }

  /** Events of a session after `afterSeq`. */
  events(sessionId: string, afterSeq = 0): RunEvent[] {
    return this.db.events.list(sessionId, afterSeq);
  }

  /** Cancels every run, waits for them to end, stops the sandboxes, processes and MCP servers, and closes the database. */
  async close(): Promise<void> {
    this.active.cancelAll();
    await this.active.settled();
    await this.tools.dispose();
    for (const sink of this.sinks.values()) sink.flush();
    this.db.close();
  }

  private track(sessionId: string, context: TreeContext, running: RunningTree): StartedRun {
    const done = running.done.finally(() => {
      context.sink.flush();
      this.db.sessions.touch(sessionId);
    });
    this.active.add(running.rootId, { sessionId, tree: context.tree, done });
    return { sessionId, runId: running.rootId, done };
  }

  private targetDefaults(): TargetDefaults {
    return {
      processEnv: this.options.env,
      bundledProfilesDir: this.options.bundledProfilesDir,
      defaultWorkingDir: this.options.defaultWorkingDir,
      ...(this.options.surface ? { surface: this.options.surface } : {}),
      ...(this.options.credentials ? { credentials: this.options.credentials } : {}),
    };
  }

  private modelResolver(target: SendTarget): ModelResolver {
    return this.resolveModelFor({
      env: target.env,
      providerId: target.providerId,
      model: target.model,
      retry: target.profile.orchestrator.retry,
      ...(this.options.surface ? { surface: this.options.surface } : {}),
    });
  }

  /** @param resumeRoot the root of the interrupted tree being resumed, absent for a new tree. */
  private treeContext(sessionId: string, target: SendTarget, resolveModel: ModelResolver, tools: TreeTools, resumeRoot?: string): TreeContext {
    const sink = this.sink(sessionId);
    const tree = new RunTree(sessionId, this.db.runs, sink, target.profile.orchestrator.budget, resumeRoot ? this.db.runs.treeUsage(resumeRoot) : undefined);
    const approvals = this.gate(sessionId);
    return {
      sessionId,
      workingDir: target.workingDir,
      profile: tools.profile,
      registry: tools.registry,
      tree,
      sink,
      messages: this.db.messages,
      runs: this.db.runs,
      approvals,
      toolServices: tools.services({ sessionId, approvals, tree, sink }),
      resolveModel,
      ...(target.projectMemory ? { projectMemory: target.projectMemory } : {}),
      now: () => new Date(),
      resuming: resumeRoot !== undefined,
      requireApproval: requiredApprovals(target.env),
      saidWarnings: new Set(),
    };
  }

  private saveSession(existing: SessionSummary | undefined, target: SendTarget, text: string): SessionSummary {
    const model = `${target.providerId}/${target.model}`;
    if (!existing) {
      return this.db.sessions.create({ name: nameFromMessage(text), profile: target.profile.name, model, workingDir: target.workingDir, ...(target.baseURL ? { baseURL: target.baseURL } : {}) });
    }
    this.db.sessions.update(existing.id, { profile: target.profile.name, model, workingDir: target.workingDir });
    this.db.sessions.setBaseURL(existing.id, target.baseURL);
    return existing;
  }

  /** Earlier turns of a session: each finished root's task and answer. */
  private history(sessionId: string): ChatMessage[] {
    return this.db.runs
      .listBySession(sessionId)
      .filter((node) => !node.parentId && node.status === 'done')
      .flatMap((node): ChatMessage[] => [
        { role: 'user', content: node.task },
        { role: 'assistant', content: node.result ?? '' },
      ]);
  }

  private sink(sessionId: string): SessionEventSink {
    let sink = this.sinks.get(sessionId);
    if (!sink) {
      sink = new SessionEventSink(sessionId, this.db.events, (id, events) => {
        for (const listener of this.listeners) listener(id, events);
      });
      this.sinks.set(sessionId, sink);
    }
    return sink;
  }

  private gate(sessionId: string): ApprovalGate {
    let gate = this.gates.get(sessionId);
    if (!gate) {
      gate = new ApprovalGate(this.options.approver);
      this.gates.set(sessionId, gate);
    }
    return gate;
  }

  private requireSession(sessionId: string): SessionSummary {
    const session = this.db.sessions.get(sessionId);
    if (!session) throw this.sessionNotFound(sessionId);
    return session;
  }

  private sessionNotFound(sessionId: string): MocoError {
    return new MocoError(MocoErrorCodes.SessionNotFound, `No session ${sessionId}. List the sessions with "moco sessions list" or sessions/list.`);
  }

  /**
   * Runs `start` with the session reserved, so that a second send or resume of the same session
   * that arrives while the first one awaits its profile and provider is refused, not started too.
   */
  private async reserved(sessionId: string, start: () => Promise<StartedRun>): Promise<StartedRun> {
    this.assertIdle(sessionId);
    this.starting.add(sessionId);
    try {
      return await start();
    } finally {
      this.starting.delete(sessionId);
    }
  }

  private assertIdle(sessionId: string): void {
    if (this.starting.has(sessionId) || this.active.bySession(sessionId)) {
      throw new MocoError(MocoErrorCodes.RunInProgress, 'This session already has a run in progress. Wait for it or cancel it first.');
    }
  }
}

/** The entry agent as the tree's environment gives it its tools (the target's agent, by name). */
function entryAgentOf(tools: TreeTools, target: SendTarget): SendTarget['agent'] {
  return tools.profile.agents.find((agent) => agent.name === target.agent.name) ?? target.agent;
}
