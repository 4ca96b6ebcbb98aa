/**
 * The Agents view (`moco.agents`): the current profile's agents, the MCP servers' status, then the
 * live run tree of the Chat view's session. Rebuilt from agentsModel.ts at most every 100 ms while events arrive, and
 * every second while a run is active (its elapsed time changes).
 */
import * as vscode from 'vscode';
import { CommandIds, ViewIds } from '../../../protocol/ids';
import { McpDidChangeNotification, McpStatusRequest, type McpServerStatus } from '../../../protocol/mcp';
import { ProfilesListRequest, type ProfileSummary } from '../../../protocol/profiles';
import { errorMessage } from '../errorMessage';
import type { ServerController } from '../languageClient';
import { onDidChangeSettings, readSettings, workspaceFolderPath } from '../settings';
import type { SessionHub } from '../state/sessionHub';
import { agentsTreeItems, effectiveProfileName, hasActiveRuns, profileToShow, runItemId, type ProfileSection } from './agentsModel';
import { DescriptorTreeProvider } from './descriptorTree';
import { Throttle, Ticker } from './timing';
import type { ItemDescriptor } from './treeModel';

/** How often, at most, the view is rebuilt while events arrive (ms). */
export const AGENTS_REFRESH_MS = 100;

/** The Agents view. Create one; dispose it with the extension. */
export class AgentsView implements vscode.Disposable {
  private readonly provider = new DescriptorTreeProvider();
  private readonly treeView: vscode.TreeView<ItemDescriptor>;
  private readonly throttle = new Throttle(AGENTS_REFRESH_MS, () => this.render());
  private readonly ticker = new Ticker(
    () => this.sessionIsActive(),
    () => this.render(),
  );
  private readonly profileEmitter = new vscode.EventEmitter<ProfileSummary | undefined>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private profile: ProfileSection | undefined;
  private mcpServers: McpServerStatus[] = [];
  /** Bumped by each `profiles/list`, so that an older answer never replaces a newer one. */
  private profileGeneration = 0;
  /**
   * Fires when the current profile was (re)loaded, with its agents (`undefined` when it could not
   * be loaded): the Chat view's `@agent` completion can follow it.
   */
  readonly onDidChangeProfile = this.profileEmitter.event;

  constructor(
    private readonly server: ServerController,
    private readonly hub: SessionHub,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.treeView = vscode.window.createTreeView(ViewIds.agents, { treeDataProvider: this.provider, showCollapseAll: true });
    this.subscriptions.push(
      this.treeView,
      this.provider,
      this.profileEmitter,
      server.onDidChange(({ state }) => {
        if (state === 'ready') {
          void this.refreshProfile();
          void this.loadCurrentSession();
          void this.loadMcpStatus();
        } else if (state === 'failed' || state === 'stopped') {
          // Empty, so that the view's welcome content says why nothing can run.
          this.profile = undefined;
          this.mcpServers = [];
          this.render();
        }
      }),
      server.onNotification(McpDidChangeNotification, ({ servers }) => {
        this.mcpServers = servers;
        this.throttle.schedule();
      }),
      hub.onDidReceiveEvents(({ sessionId }) => {
        if (sessionId === this.hub.currentSessionId) this.throttle.schedule();
      }),
      hub.onDidChangeCurrent(() => {
        this.render();
        void this.loadCurrentSession();
      }),
      onDidChangeSettings((settings) => {
        if (effectiveProfileName(settings.profile, process.env.MOCO_PROFILE) !== this.profile?.name) void this.refreshProfile();
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.refreshProfile()),
      vscode.commands.registerCommand(CommandIds.refreshAgents, () => this.refreshProfile()),
    );
    if (server.current.state === 'ready') {
      void this.refreshProfile();
      void this.loadCurrentSession();
      void this.loadMcpStatus();
    }
    this.render();
  }

  /** The current profile, once loaded. */
  get currentProfile(): ProfileSummary | undefined {
    return this.profile?.profile;
  }

  /** Loads the profile of the settings again (`profiles/list`) and shows its agents. Never rejects. */
  async refreshProfile(): Promise<void> {
    const name = effectiveProfileName(readSettings().profile, process.env.MOCO_PROFILE);
    const generation = ++this.profileGeneration;
    if (!this.profile?.profile || this.profile.name !== name) {
      this.profile = { name, loading: true };
      this.render();
    }
    let next: ProfileSection;
    try {
      const result = await this.server.request(ProfilesListRequest, { workingDir: workspaceFolderPath() });
      next = profileToShow(result, name);
    } catch (error) {
      this.log.warn(`Loading the profile ${name}: ${errorMessage(error)}`);
      next = { name, error: errorMessage(error) };
    }
    if (generation !== this.profileGeneration) return;
    this.profile = next;
    this.render();
    this.profileEmitter.fire(next.profile);
  }

  /**
   * Selects a run's node in the view (the chat's "Show in Agents view"), opening the view. Only
   * nodes of the Chat view's session are in the view.
   * @returns false when the run is not in the view.
   */
  async revealRun(runId: string): Promise<boolean> {
    this.throttle.flush();
    let element = this.provider.get(runItemId(runId));
    if (!element) {
      this.render();
      element = this.provider.get(runItemId(runId));
    }
    if (!element) return false;
    await this.treeView.reveal(element, { select: true, focus: true, expand: true });
    return true;
  }

  dispose(): void {
    this.throttle.dispose();
    this.ticker.dispose();
    for (const s of this.subscriptions) s.dispose();
  }

  private sessionIsActive(): boolean {
    const sessionId = this.hub.currentSessionId;
    return sessionId !== undefined && hasActiveRuns(this.hub.tree(sessionId));
  }

  /** Loads the Chat view's session when the hub has not seen it yet (after a window reload). */
  private async loadCurrentSession(): Promise<void> {
    const sessionId = this.hub.currentSessionId;
    if (!sessionId || this.hub.tree(sessionId).roots.length > 0 || this.server.current.state !== 'ready') return;
    try {
      await this.hub.load(sessionId);
    } catch (error) {
      this.log.warn(`Loading session ${sessionId} for the Agents view: ${errorMessage(error)}`);
    }
    if (sessionId === this.hub.currentSessionId) this.render();
  }

  /** Loads the MCP servers' status (`mcp/status`); later changes come as `mcp/didChange`. */
  private async loadMcpStatus(): Promise<void> {
    try {
      this.mcpServers = (await this.server.request0(McpStatusRequest)).servers;
      this.render();
    } catch (error) {
      this.log.warn(`Loading the MCP servers' status: ${errorMessage(error)}`);
    }
  }

  private render(): void {
    const sessionId = this.hub.currentSessionId;
    const state = sessionId === undefined ? undefined : this.hub.tree(sessionId);
    const items = agentsTreeItems(
      { profile: this.profile, mcpServers: this.mcpServers, session: sessionId && state ? { sessionId, state } : undefined },
      Date.now(),
    );
    this.provider.set(items);
    const running = state ? Object.values(state.nodes).filter((n) => n.status === 'running' || n.status === 'waiting-for-approval').length : 0;
    this.treeView.badge = running > 0 ? { value: running, tooltip: `${running} ${running === 1 ? 'agent runs' : 'agents run'}` } : undefined;
    this.ticker.update();
  }
}
