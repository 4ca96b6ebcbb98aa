/**
 * What the tools of issue 5 need beyond one call, composed for the engine: per session a sandbox
 * (made on first use) and a table of background processes; per workspace the MCP servers; per run
 * tree the command policy (built-in, settings, profile and policy-file rules), the registry with
 * the MCP tools, and each agent's tools. The engine asks {@link ToolHost.prepareTree} before a tree
 * starts and gives the result to the orchestrator.
 */
import { randomUUID } from 'node:crypto';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_TOOL_SETTINGS, type ToolSettings } from '../../../protocol/settings';
import type { McpServerStatus } from '../../../protocol/mcp';
import { loadMcpConfig, McpManager } from '../mcp';
import type { ApprovalGate } from '../orchestrator/approvals';
import type { SessionEventSink } from '../orchestrator/eventSink';
import type { RunTree } from '../orchestrator/runTree';
import { MocoErrorCodes } from '../../../protocol/errors';
import { MocoError } from '../orchestrator/errors';
import { CommandPolicy, createCommandGate, PolicyRuleError, rulesFromMap, SessionRules, type AuditSink, type PolicyDecision, type PolicyRule } from '../policy';
import type { Profile } from '../profiles';
import { SANDBOX_DEFAULTS, selectSandbox, type Sandbox, type SandboxConfig } from '../sandbox';
import { createTreeSitterSymbolService } from '../symbols';
import { createProcessTable, type ProcessTable } from '../tools/process';
import type { ToolRegistry } from '../tools/registry';
import type { SymbolService, ToolServices, WebOptions } from '../tools/services';
import { isInside } from '../tools/workspacePath';
import { DEFAULT_WEB_OPTIONS, webToolNames, WEB_TOOL_NAMES } from '../tools/web';
import { withOfferedTools } from './agentTools';

/** How the host is set up (EngineSettings' tool fields). */
export interface ToolHostOptions {
  /** Where decisions on commands are recorded (`MocoDatabase.audit`). */
  audit: AuditSink;
  /** The tool settings of each run: the editor's (`settings/get`) or the CLI's flags. Default {@link DEFAULT_TOOL_SETTINGS}. */
  toolSettings?: () => Promise<ToolSettings>;
  /**
   * The decision for a command no rule covers: `ask` in the editor and in the CLI on a terminal,
   * `deny` in the CLI otherwise, `allow` with the CLI's `--yes`. A policy file's `default` wins.
   */
  unknownCommands: PolicyDecision;
  /** The CLI's `--policy` file. */
  policyFile?: { rules: PolicyRule[]; defaultDecision?: PolicyDecision };
  /** Symbol search for a working directory: the editor's language servers; default tree-sitter. */
  symbols?: (workingDir: string) => SymbolService;
  /** A line for the user (the output channel, the CLI's stderr): the sandbox chosen (info), MCP problems (warn, error). */
  log: ToolLog;
  /** Every MCP server's status after each change. */
  onMcpStatus?: (servers: McpServerStatus[]) => void;
  /** MOCO's version, for MCP's `clientInfo`. */
  version: string;
  /**
   * A GitHub token for `create_pr` (EngineSettings.githubToken); `interactive` is true because a
   * call runs only once the user approved it. Absent: `create_pr` says there is no token.
   */
  githubToken?: (interactive: boolean) => Promise<string | undefined>;
}

/** Writes a line for the user at a level. */
export type ToolLog = (level: 'info' | 'warn' | 'error', message: string) => void;

/** What a run tree gets from {@link ToolHost.prepareTree}. */
export interface TreeTools {
  /** The profile with each agent's tools as this environment gives them. */
  profile: Profile;
  /** The base tools and the MCP tools of the profile's servers. */
  registry: ToolRegistry;
  /** The services of one tool call, once the tree's session and approvals exist. */
  services: (tree: TreeBinding) => (call: { runId: string; agent: string; toolCallId: string }) => ToolServices;
}

/** The tree's session, and what a command gate needs to ask the user on the call's card. */
export interface TreeBinding {
  sessionId: string;
  approvals: ApprovalGate;
  tree: RunTree;
  sink: SessionEventSink;
}

/** One session's sandbox and processes. */
interface SessionTools {
  /** The sandbox settings it was made with: other settings make a new one. */
  key: string;
  config: SandboxConfig;
  mode: ToolSettings['sandbox']['mode'];
  sandbox?: Promise<Sandbox>;
  processes: ProcessTable;
  rules: SessionRules;
}

/** The tools' environment of one engine. */
export class ToolHost {
  private readonly sessions = new Map<string, SessionTools>();
  private readonly mcp = new Map<string, McpManager>();
  /** Each manager's last status list, by manager key. */
  private readonly mcpStatus = new Map<string, McpServerStatus[]>();
  private disposed = false;

  constructor(private readonly options: ToolHostOptions) {}

  /**
   * Prepares a run tree: reads the tool settings, builds the command policy, starts (or reconciles)
   * the workspace's MCP servers, and works out each agent's tools.
   * @throws {MocoError} `ProfileInvalid` / `InvalidRequest` for a malformed policy rule (naming it),
   *   `InvalidRequest` once the engine is closing; {@link Error} when tree-sitter cannot be loaded.
   */
  async prepareTree(workingDir: string, profile: Profile, baseRegistry: ToolRegistry): Promise<TreeTools> {
    this.assertOpen();
    const settings = await this.settings();
    const policy = await CommandPolicy.create({
      rules: this.rules(settings, profile, workingDir),
      defaultDecision: this.options.policyFile?.defaultDecision ?? this.options.unknownCommands,
      workspaceRoot: workingDir,
      homeDir: os.homedir(),
    });
    const { manager, otherServers } = await this.mcpFor(workingDir, profile);
    this.assertOpen();
    const mcpTools = manager.tools(manager.serverNames());
    const index = new Map<string, string[]>();
    for (const tool of mcpTools) index.set(tool.server, [...(index.get(tool.server) ?? []), tool.definition.name]);
    const registry = baseRegistry.withTools(mcpTools);
    const web = webOptions(settings);
    const offeredWeb = new Set(webToolNames(web));
    const offered = new Set(baseRegistry.names().filter((name) => !WEB_TOOL_NAMES.includes(name) || offeredWeb.has(name)));
    const symbols = (this.options.symbols ?? createTreeSitterSymbolService)(workingDir);
    return {
      profile: withOfferedTools(profile, { offered, mcp: index, otherServers }),
      registry,
      services: (tree) => {
        const { sessionId } = tree;
        const session = this.session(sessionId, workingDir, settings);
        return (call) => ({
          sandbox: () => this.sandbox(sessionId, session),
          commandGate: createCommandGate({
            policy,
            sessionRules: session.rules,
            audit: this.options.audit,
            who: { sessionId, runId: call.runId, agent: call.agent },
            ask: async (request, signal) =>
              tree.approvals.decide(
                { tree: tree.tree, sink: tree.sink, runId: call.runId, toolCallId: call.toolCallId },
                {
                  agent: call.agent,
                  toolName: request.tool,
                  arguments: { command: request.command },
                  reason: request.alwaysPatterns.length > 0 ? `${request.reason} "Always allow" allows ${request.alwaysPatterns.map((p) => `"${p}"`).join(', ')} for this session.` : request.reason,
                  // The policy keeps "always" as session rules; the approval gate must not answer
                  // later commands of the tool by itself.
                  alwaysKey: randomUUID(),
                },
                signal,
              ),
          }),
          processes: session.processes,
          symbols,
          ...(settings.ripgrepPath ? { ripgrepPath: settings.ripgrepPath } : {}),
          web,
          github: { token: () => this.options.githubToken?.(true) ?? Promise.resolve(undefined), apiUrl: settings.git?.githubApiUrl ?? '' },
        });
      },
    };
  }

  /** The tool settings now. */
  async settings(): Promise<ToolSettings> {
    return (await this.options.toolSettings?.()) ?? DEFAULT_TOOL_SETTINGS;
  }

  /** The MCP servers' status: those of every workspace and profile that ran here. */
  status(): McpServerStatus[] {
    return [...this.mcpStatus.values()].flat();
  }

  /**
   * Restarts an MCP server by name (lifting a quarantine).
   * @throws {Error} when no workspace has a server of that name.
   */
  async restartMcp(name: string): Promise<McpServerStatus> {
    for (const manager of this.mcp.values()) if (manager.serverNames().includes(name)) return manager.restart(name);
    throw new Error(`No MCP server named "${name}" is configured. Its configuration is read when a message is sent.`);
  }

  /** Stops a session's processes and removes its sandbox (a session deleted). Never rejects. */
  async disposeSession(sessionId: string): Promise<void> {
    const session = this.sessions.get(sessionId);
    this.sessions.delete(sessionId);
    if (session) await disposeTools(session);
  }

  /** Stops every process, sandbox and MCP server. Never rejects. */
  async dispose(): Promise<void> {
    this.disposed = true;
    const sessions = [...this.sessions.values()];
    this.sessions.clear();
    const managers = [...this.mcp.values()];
    this.mcp.clear();
    await Promise.allSettled([...sessions.map(disposeTools), ...managers.map((manager) => manager.dispose())]);
  }

  /** A tree prepared while the engine closes would start a sandbox or servers nobody stops. */
  private assertOpen(): void {
    if (this.disposed) throw new MocoError(MocoErrorCodes.InvalidRequest, 'MOCO is shutting down; send the message again once it has restarted.');
  }

  /**
   * Settings, profile (allows only from outside the workspace) and policy-file rules.
   * @throws {MocoError} `ProfileInvalid` or `InvalidRequest` naming the rule and what to write.
   */
  private rules(settings: ToolSettings, profile: Profile, workingDir: string): PolicyRule[] {
    try {
      return this.allRules(settings, profile, workingDir);
    } catch (error) {
      if (!(error instanceof PolicyRuleError)) throw error;
      const code = error.where === 'moco.policy.rules' ? MocoErrorCodes.InvalidRequest : MocoErrorCodes.ProfileInvalid;
      throw new MocoError(code, error.message);
    }
  }

  private allRules(settings: ToolSettings, profile: Profile, workingDir: string): PolicyRule[] {
    let profileRules = rulesFromMap(profile.policyRules, 'profile', path.join(profile.path, 'profile.yaml'));
    if (isInside(workingDir, profile.path)) {
      // Agents can write the workspace's profiles: their rules may tighten, never loosen.
      const allows = profileRules.filter((rule) => rule.decision === 'allow');
      if (allows.length > 0) {
        this.options.log(
          'warn',
          `The profile ${profile.name} is inside the workspace, where agents can write it, so its allow rules are ignored: ${allows.map((r) => `"${r.pattern}"`).join(', ')}. Put them in the setting moco.policy.rules (user settings) instead.`,
        );
      }
      profileRules = profileRules.filter((rule) => rule.decision !== 'allow');
    }
    return [...rulesFromMap(settings.policyRules, 'settings', 'moco.policy.rules'), ...profileRules, ...(this.options.policyFile?.rules ?? [])];
  }

  /**
   * Starts the MCP servers the profile gives its agents, and only those: a server of the workspace
   * files that no profile names is never started (an agent that wrote `.mcp.json` starts nothing).
   * One manager per workspace and profile, so that two sessions with other profiles in one
   * workspace do not stop each other's servers.
   */
  private async mcpFor(workingDir: string, profile: Profile): Promise<{ manager: McpManager; otherServers: string[] }> {
    const key = `${workingDir}\u0000${profile.path}`;
    let manager = this.mcp.get(key);
    if (!manager) {
      const created = new McpManager({
        workspace: workingDir,
        logger: { log: (level, message) => this.options.log(level === 'debug' ? 'info' : level, `MCP: ${message}`) },
        clientInfo: { name: 'moco', version: this.options.version },
      });
      created.onStatus((servers) => {
        this.mcpStatus.set(key, servers);
        this.options.onMcpStatus?.(this.status());
      });
      this.mcp.set(key, created);
      manager = created;
    }
    const config = await loadMcpConfig({
      workspace: workingDir,
      profile: { name: profile.name, file: path.join(profile.path, 'profile.yaml'), servers: profile.mcpServers },
    });
    for (const warning of config.warnings) this.options.log('warn', `MCP: ${warning}`);
    const given = new Set(profile.mcpServers.map((server) => server.name));
    for (const name of given) {
      if (!config.servers.some((spec) => spec.name === name)) {
        this.options.log('warn', `MCP: the profile ${profile.name} gives its agents the server "${name}", which neither profile.yaml, .vscode/mcp.json nor .mcp.json defines.`);
      }
    }
    await manager.start(config.servers.filter((spec) => given.has(spec.name)));
    return { manager, otherServers: config.servers.map((spec) => spec.name).filter((name) => !given.has(name)) };
  }

  private session(sessionId: string, workingDir: string, settings: ToolSettings): SessionTools {
    const config: SandboxConfig = {
      workspace: workingDir,
      image: settings.sandbox.image || SANDBOX_DEFAULTS.image,
      cpus: settings.sandbox.cpus,
      memoryMb: settings.sandbox.memoryMb,
      pidsLimit: SANDBOX_DEFAULTS.pidsLimit,
      network: settings.sandbox.network,
      timeoutMs: settings.sandbox.timeoutSeconds * 1000,
      outputCapBytes: SANDBOX_DEFAULTS.outputCapBytes,
      sessionId,
    };
    const key = JSON.stringify([settings.sandbox.mode, config]);
    const existing = this.sessions.get(sessionId);
    if (existing?.key === key) return existing;
    if (existing) void disposeTools(existing);
    const session: SessionTools = { key, config, mode: settings.sandbox.mode, processes: createProcessTable(), rules: existing?.rules ?? new SessionRules() };
    this.sessions.set(sessionId, session);
    return session;
  }

  /** The session's sandbox, made on first use; a failure is not kept, so the next call tries again. */
  private sandbox(sessionId: string, session: SessionTools): Promise<Sandbox> {
    if (!session.sandbox) {
      const made = selectSandbox(session.mode, session.config, { onProgress: (message) => this.options.log('info', `Sandbox: ${message}`) });
      session.sandbox = made;
      made.then(
        (sandbox) => {
          // Running without a sandbox the user did not choose is worth a warning.
          const level = sandbox.kind === 'none' && session.mode !== 'none' ? 'warn' : 'info';
          this.options.log(level, `Sandbox of session ${sessionId}: ${sandbox.description}`);
        },
        (error: unknown) => {
          this.options.log('error', `Sandbox of session ${sessionId}: ${error instanceof Error ? error.message : String(error)}`);
          if (session.sandbox === made) delete session.sandbox;
        },
      );
    }
    return session.sandbox;
  }
}

function webOptions(settings: ToolSettings): WebOptions {
  return {
    ...DEFAULT_WEB_OPTIONS,
    allowPrivateAddresses: settings.web.allowPrivateAddresses,
    ...(settings.web.searchUrl ? { search: { url: settings.web.searchUrl, ...(process.env.MOCO_WEBSEARCH_API_KEY ? { apiKey: process.env.MOCO_WEBSEARCH_API_KEY } : {}) } } : {}),
  };
}

async function disposeTools(session: SessionTools): Promise<void> {
  await session.processes.dispose();
  const sandbox = await session.sandbox?.catch(() => undefined);
  await sandbox?.dispose().catch(() => undefined);
}
