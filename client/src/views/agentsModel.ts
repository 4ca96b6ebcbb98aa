/**
 * What the Agents view shows, as plain item descriptors (pure: no `vscode`, unit-tested): on top
 * the current profile's agents, below the live run tree of the Chat view's session.
 */
import { CommandIds, TreeItemContexts } from '../../../protocol/ids';
import type { McpServerState, McpServerStatus } from '../../../protocol/mcp';
import type { AgentSummary, ProfileSummary, ProfilesListResult } from '../../../protocol/profiles';
import { addUsage, zeroUsage, type Usage } from '../../../protocol/usage';
import { rollUpUsage, treeTotals, type NodeView, type RunTreeState } from '../../../protocol/runTreeState';
import { firstLine, formatCost, formatElapsed, groupDigits, spokenElapsed, totalTokens, usageParts } from './format';
import { isActiveStatus, statusIcon, statusWord } from './runStatus';
import type { ItemDescriptor } from './treeModel';

/** The profile part of the view. */
export interface ProfileSection {
  /** The profile's name, as {@link effectiveProfileName} gives it. */
  name: string;
  /** Set once loaded. */
  profile?: ProfileSummary;
  /** Why it could not be loaded, in words for the user. */
  error?: string;
  /** True while `profiles/list` is under way and nothing was loaded before. */
  loading?: boolean;
}

/** The session part of the view. */
export interface SessionSection {
  sessionId: string;
  state: RunTreeState;
}

/** Ids of the section items. */
export const SectionIds = { profile: 'section:profile', mcp: 'section:mcp', session: 'section:session' } as const;

/** The tree item id of a run node (stable, so `TreeView.reveal` finds it). */
export function runItemId(runId: string): string {
  return `run:${runId}`;
}

/**
 * The profile a message uses: the `moco.profile.name` setting, else `MOCO_PROFILE` (the server
 * inherits the extension host's environment), else `default` (as the server chooses it).
 */
export function effectiveProfileName(setting: string, envProfile: string | undefined): string {
  return setting.trim() || envProfile?.trim() || 'default';
}

/**
 * The profile named `name` in a `profiles/list` answer, or why it is not there: the load error of
 * that profile (file, line, message), or the names found.
 */
export function profileToShow(result: ProfilesListResult, name: string): ProfileSection {
  const profile =
    result.profiles.find((p) => p.name === name) ?? result.profiles.find((p) => p.name.toLowerCase() === name.toLowerCase());
  if (profile) return { name: profile.name, profile };
  const failure = result.errors.find((e) => e.name.toLowerCase() === name.toLowerCase());
  if (failure) {
    const where = failure.line === undefined ? failure.file : `${failure.file}:${failure.line}`;
    return { name, error: `${where}: ${failure.message}` };
  }
  const found = result.profiles.map((p) => p.name).join(', ') || 'none';
  return { name, error: `No profile named '${name}' (found: ${found}). Choose one with MOCO: Select Profile.` };
}

/**
 * The Agents view's top-level items: the profile section (when there is one), the MCP servers
 * (when the workspace or the profile has some) and the session section (when the session has runs). `[]` shows the view's welcome content.
 *
 * @param nowMs epoch ms, for the elapsed time of running nodes.
 */
export function agentsTreeItems(
  input: { profile?: ProfileSection; mcpServers?: McpServerStatus[]; session?: SessionSection },
  nowMs: number,
): ItemDescriptor[] {
  const items: ItemDescriptor[] = [];
  if (input.profile) items.push(profileItem(input.profile));
  if (input.mcpServers && input.mcpServers.length > 0) items.push(mcpSection(input.mcpServers));
  if (input.session && input.session.state.roots.length > 0) items.push(sessionItem(input.session, nowMs));
  return items;
}

/** The newest root of the tree that still runs, if any (what `MOCO: Cancel Run` stops). */
export function runningRoot(state: RunTreeState): string | undefined {
  return [...state.roots].reverse().find((id) => {
    const node = state.nodes[id];
    return node !== undefined && isActiveStatus(node.status);
  });
}

/** Whether any node of the tree still runs (its elapsed time then changes every second). */
export function hasActiveRuns(state: RunTreeState): boolean {
  return Object.values(state.nodes).some((node) => isActiveStatus(node.status));
}

function profileItem(section: ProfileSection): ItemDescriptor {
  const { profile } = section;
  const children: ItemDescriptor[] = [];
  if (profile) {
    for (const agent of orderedAgents(profile)) children.push(agentItem(agent, agent.name === profile.entryAgent));
    profile.warnings.forEach((warning, index) =>
      children.push({ id: `profile-warning:${index}`, label: warning, tooltip: warning, icon: { id: 'warning', color: 'list.warningForeground' }, collapsible: 'none', children: [] }),
    );
  } else if (section.error) {
    children.push({ id: 'profile-error', label: section.error, tooltip: section.error, icon: { id: 'error', color: 'list.errorForeground' }, collapsible: 'none', children: [] });
  } else if (section.loading) {
    children.push({ id: 'profile-loading', label: 'Loading agents…', icon: { id: 'loading~spin' }, collapsible: 'none', children: [] });
  }
  const tooltip = profile
    ? [`Profile ${profile.name} (${profile.source})`, profile.description, profile.path].filter(Boolean).join('\n')
    : `Profile ${section.name}`;
  return {
    id: SectionIds.profile,
    label: `Profile: ${section.name}`,
    description: profile?.description,
    tooltip,
    icon: { id: 'organization' },
    collapsible: 'expanded',
    children,
  };
}

/** The entry agent first, then the others in the profile's order. */
function orderedAgents(profile: ProfileSummary): AgentSummary[] {
  const entry = profile.agents.filter((a) => a.name === profile.entryAgent);
  return [...entry, ...profile.agents.filter((a) => a.name !== profile.entryAgent)];
}

function agentItem(agent: AgentSummary, isEntry: boolean): ItemDescriptor {
  const description = [agent.model, agent.description].filter((part): part is string => !!part).join(' · ');
  const tooltip = [
    `${agent.name} (${agent.mode})${isEntry ? ': receives your messages' : ''}`,
    agent.description,
    `Model: ${agent.model ?? "the session's"}`,
    `Tools: ${agent.tools.length > 0 ? agent.tools.join(', ') : 'none'}`,
  ]
    .filter(Boolean)
    .join('\n');
  return {
    id: `agent:${agent.name}`,
    label: agent.name,
    description,
    tooltip,
    ariaLabel: `Agent ${agent.name}${isEntry ? ', entry agent' : ''}. ${agent.description}`,
    icon: { id: isEntry ? 'hubot' : 'person' },
    contextValue: TreeItemContexts.agent,
    collapsible: 'none',
    children: [],
  };
}

function sessionItem(section: SessionSection, nowMs: number): ItemDescriptor {
  const { state, sessionId } = section;
  const roots = [...state.roots].reverse();
  const total = roots.reduce((sum, id) => addUsage(sum, treeTotals(state, id)), zeroUsage());
  const count = `${roots.length} ${roots.length === 1 ? 'message' : 'messages'}`;
  return {
    id: SectionIds.session,
    label: 'Session',
    description: [count, ...usageParts(total)].join(' · '),
    tooltip: `The run trees of the session in the Chat view (${sessionId}), the newest first.`,
    icon: { id: 'comment-discussion' },
    collapsible: 'expanded',
    // The newest message's tree is open; older finished ones are closed, so that a long session
    // does not unfold hundreds of rows (each open parent costs VS Code a round trip).
    children: roots.flatMap((id, index) => {
      const node = state.nodes[id];
      return node ? [nodeItem(section, node, nowMs, index === 0)] : [];
    }),
  };
}

function nodeItem(section: SessionSection, node: NodeView, nowMs: number, open = true): ItemDescriptor {
  const { state, sessionId } = section;
  const usage = node.parentId === undefined ? treeTotals(state, node.id) : rollUpUsage(state, node.id);
  const elapsed = elapsedMs(node, nowMs);
  const activity = node.approval
    ? `waiting for approval: ${node.approval.name}`
    : node.tools.length > 0
      ? `${node.tools.map((t) => t.name).join(', ')}…`
      : undefined;
  const description = [node.model || node.provider, ...usageParts(usage), elapsed === undefined ? undefined : formatElapsed(elapsed), activity]
    .filter((part): part is string => !!part)
    .join(' · ');
  const children = node.children.flatMap((id) => {
    const child = state.nodes[id];
    return child ? [nodeItem(section, child, nowMs)] : [];
  });
  const run = { sessionId, runId: node.id };
  return {
    id: runItemId(node.id),
    label: node.label,
    description,
    tooltip: nodeTooltip(node, usage, elapsed),
    ariaLabel: [
      node.label,
      statusWord(node.status),
      node.model,
      `${totalTokens(usage)} tokens`,
      usage.costUsd > 0 ? `${usage.costUsd.toFixed(4)} dollars` : undefined,
      elapsed === undefined ? undefined : spokenElapsed(elapsed),
    ]
      .filter((part): part is string => !!part)
      .join(', '),
    icon: statusIcon(node.status),
    contextValue: isActiveStatus(node.status)
      ? TreeItemContexts.runActive
      : node.status === 'interrupted' && node.parentId === undefined
        ? TreeItemContexts.runInterrupted
        : TreeItemContexts.runEnded,
    // A node that still runs may delegate: it is expandable from the start, because VS Code keeps
    // an item collapsed when it turns from a leaf into a parent under the same id.
    collapsible: isActiveStatus(node.status) || (children.length > 0 && open) ? 'expanded' : children.length > 0 ? 'collapsed' : 'none',
    command: { command: CommandIds.openTranscript, title: 'Open Transcript', arguments: [run] },
    children,
    run,
  };
}

/** From start to end (or now while active); `undefined` when unknown (no start, or ended with no end time). */
function elapsedMs(node: NodeView, nowMs: number): number | undefined {
  if (!node.startedAtMs) return undefined;
  if (node.endedAtMs !== undefined) return node.endedAtMs - node.startedAtMs;
  return isActiveStatus(node.status) ? nowMs - node.startedAtMs : undefined;
}

function nodeTooltip(node: NodeView, rolledUp: Usage, elapsed: number | undefined): string {
  const lines = [`${node.label}: ${statusWord(node.status)}`];
  if (node.task) lines.push(`Task: ${firstLine(node.task, 300)}`);
  if (node.model || node.provider) lines.push(`Model: ${[node.provider, node.model].filter(Boolean).join('/')}`);
  const own = node.usage;
  lines.push(`Tokens: ${groupDigits(own.inputTokens)} in · ${groupDigits(own.outputTokens)} out`);
  if (own.costUsd > 0) lines.push(`Cost: ${formatCost(own.costUsd)}`);
  if (node.children.length > 0) lines.push(`With sub-agents: ${usageParts(rolledUp).join(' · ') || 'no tokens yet'}`);
  if (elapsed !== undefined) lines.push(`Duration: ${formatElapsed(elapsed)}`);
  if (node.approval) lines.push(`Waiting for approval: ${node.approval.name}: ${node.approval.reason}`);
  if (node.tools.length > 0) lines.push(`Running: ${node.tools.map((t) => t.name).join(', ')}`);
  if (node.error) lines.push(`Error: ${node.error.message}`);
  if (node.status === 'interrupted' && node.parentId === undefined) lines.push('Interrupted: MOCO: Resume Run continues it.');
  return lines.join('\n');
}

const MCP_ICONS: Record<McpServerState, { id: string; color?: string }> = {
  starting: { id: 'loading~spin' },
  ready: { id: 'pass', color: 'testing.iconPassed' },
  reconnecting: { id: 'sync~spin', color: 'list.warningForeground' },
  failed: { id: 'error', color: 'list.errorForeground' },
  quarantined: { id: 'circle-slash', color: 'list.errorForeground' },
  stopped: { id: 'circle-outline' },
};

/** The "MCP Servers" section: each server's state, tools and last error; failures are never hidden. */
function mcpSection(servers: McpServerStatus[]): ItemDescriptor {
  const troubled = servers.filter((server) => server.state === 'failed' || server.state === 'quarantined').length;
  return {
    id: SectionIds.mcp,
    label: 'MCP Servers',
    description: troubled > 0 ? `${troubled} of ${servers.length} not working` : `${servers.length}`,
    tooltip: 'The MCP servers of the profile (profile.yaml), .vscode/mcp.json and .mcp.json. Their tools are named server__tool.',
    icon: { id: 'plug' },
    collapsible: troubled > 0 ? 'expanded' : 'collapsed',
    children: servers.map(mcpServerItem),
  };
}

function mcpServerItem(server: McpServerStatus): ItemDescriptor {
  const tools = `${server.toolCount} ${server.toolCount === 1 ? 'tool' : 'tools'}`;
  const description = [server.state, server.state === 'ready' ? tools : undefined, server.transport, server.lastError && server.state !== 'ready' ? firstLine(server.lastError, 80) : undefined]
    .filter((part): part is string => !!part)
    .join(' · ');
  const tooltip = [
    `MCP server ${server.name} (${server.source}): ${server.state}`,
    `${server.transport}: ${server.target}`,
    tools,
    server.restarts > 0 ? `Restarted ${server.restarts} ${server.restarts === 1 ? 'time' : 'times'}` : undefined,
    server.lastError ? `Last error: ${server.lastError}` : undefined,
    server.state === 'quarantined' || server.state === 'failed' ? 'MOCO: Restart MCP Server starts it again.' : undefined,
  ]
    .filter(Boolean)
    .join('\n');
  return {
    id: `mcp:${server.name}`,
    label: server.name,
    description,
    tooltip,
    ariaLabel: `MCP server ${server.name}, ${server.state}, ${tools}${server.lastError && server.state !== 'ready' ? `, ${server.lastError}` : ''}`,
    icon: MCP_ICONS[server.state],
    contextValue: TreeItemContexts.mcpServer,
    collapsible: 'none',
    children: [],
  };
}
