import { describe, expect, it } from 'vitest';
import { CommandIds, TreeItemContexts } from '../../protocol/ids';
import type { ProfileSummary } from '../../protocol/profiles';
import { applyEvents, emptyRunTreeState } from '../../protocol/runTreeState';
import {
  SectionIds,
  agentsTreeItems,
  effectiveProfileName,
  profileToShow,
  runItemId,
  runningRoot,
} from '../../client/src/views/agentsModel';
import { indexTree, toRunRef, toTaskRef, type ItemDescriptor } from '../../client/src/views/treeModel';
import { EventScript, T0, delegationScenario, iso, node, usage } from './cliRenderScenario';

const profile: ProfileSummary = {
  name: 'development',
  description: 'A team that writes and reviews code',
  source: 'bundled',
  path: '/ext/profiles/development',
  agents: [
    { name: 'coder', description: 'Writes code', mode: 'subagent', tools: ['read_file', 'write_file'] },
    { name: 'orchestrator', description: 'Plans and delegates', mode: 'primary', model: 'zai/glm-4.7', tools: ['delegate_to_agent'] },
  ],
  entryAgent: 'orchestrator',
  warnings: ['The tool web_search is not available in this project.'],
};

function find(items: readonly ItemDescriptor[], id: string): ItemDescriptor {
  const item = indexTree(items).byId.get(id);
  if (!item) throw new Error(`no item ${id}`);
  return item;
}

describe('the Agents view: the profile', () => {
  it('lists the entry agent first, with model and description, and its tools in the tooltip', () => {
    const [section] = agentsTreeItems({ profile: { name: 'development', profile } }, T0);
    expect(section?.label).toBe('Profile: development');
    expect(section?.children.map((c) => c.label)).toEqual(['orchestrator', 'coder', profile.warnings[0]]);
    const orchestrator = section?.children[0];
    expect(orchestrator?.description).toBe('zai/glm-4.7 · Plans and delegates');
    expect(orchestrator?.tooltip).toContain('Tools: delegate_to_agent');
    expect(orchestrator?.contextValue).toBe(TreeItemContexts.agent);
    expect(section?.children[1]?.description).toBe('Writes code');
    expect(section?.children[1]?.tooltip).toContain("Model: the session's");
    expect(section?.children[2]?.icon?.id).toBe('warning');
  });

  it('says why a profile is missing: its load error with file and line, or the names found', () => {
    const missing = profileToShow({ profiles: [profile], errors: [] }, 'reviewers');
    expect(missing.error).toBe("No profile named 'reviewers' (found: development). Choose one with MOCO: Select Profile.");
    const broken = profileToShow(
      { profiles: [profile], errors: [{ name: 'broken', file: '/ws/.moco/profiles/broken/agents/coder.md', line: 3, message: 'mode must be primary, chat or subagent' }] },
      'broken',
    );
    expect(broken.error).toBe('/ws/.moco/profiles/broken/agents/coder.md:3: mode must be primary, chat or subagent');
    const [section] = agentsTreeItems({ profile: broken }, T0);
    expect(section?.children[0]?.label).toBe(broken.error);
    expect(section?.children[0]?.icon?.id).toBe('error');
    expect(profileToShow({ profiles: [profile], errors: [] }, 'Development').profile?.name).toBe('development');
  });

  it('uses the setting, then MOCO_PROFILE, then default', () => {
    expect(effectiveProfileName(' code ', 'development')).toBe('code');
    expect(effectiveProfileName('', 'development')).toBe('development');
    expect(effectiveProfileName('', undefined)).toBe('default');
  });

  it('is empty, so that the welcome content shows, with no profile and no runs', () => {
    expect(agentsTreeItems({}, T0)).toEqual([]);
    expect(agentsTreeItems({ session: { sessionId: 's', state: emptyRunTreeState() } }, T0)).toEqual([]);
  });
});

describe('the Agents view: the live run tree', () => {
  const state = applyEvents(emptyRunTreeState(), delegationScenario());

  it('nests the sub-agents under their parent, each with status, model, tokens, cost and duration', () => {
    const items = agentsTreeItems({ profile: { name: 'development', profile }, session: { sessionId: 'session-1', state } }, T0 + 60_000);
    expect(items.map((i) => i.id)).toEqual([SectionIds.profile, SectionIds.session]);
    const root = find(items, runItemId('root'));
    expect(root.label).toBe('orchestrator');
    // The server's roll-up of the tree: 2,900 + 300 tokens, $0.0009, 12.3 s.
    expect(root.description).toBe('gpt-4o-mini · 3.2k tok · $0.0009 · 12s');
    expect(root.icon).toEqual({ id: 'check', color: 'testing.iconPassed' });
    expect(root.contextValue).toBe(TreeItemContexts.runEnded);
    expect(root.children.map((c) => c.label)).toEqual(['coder', 'tester']);
    const tester = find(items, runItemId('tester'));
    expect(tester.icon?.id).toBe('error');
    expect(tester.tooltip).toContain('Error: The provider kept failing (HTTP 500).');
    expect(find(items, runItemId('coder')).description).toBe('gpt-4o-mini · 600 tok · $0.0003 · 1s');
  });

  it('opens the newest message’s tree and closes older finished ones', () => {
    const s = new EventScript();
    for (const id of ['old', 'new']) {
      s.add(id, 0, { kind: 'runStarted', node: node({ id, rootId: id, agent: 'orchestrator' }) })
        .add(`${id}-child`, 1, { kind: 'runStarted', node: node({ id: `${id}-child`, parentId: id, rootId: id, agent: 'coder' }) })
        .add(`${id}-child`, 2, { kind: 'runFinished', status: 'done', result: 'ok' })
        .add(id, 3, { kind: 'runFinished', status: 'done', result: 'ok' });
    }
    const state = applyEvents(emptyRunTreeState(), s.events);
    const items = agentsTreeItems({ session: { sessionId: 'session-1', state } }, T0);
    expect(find(items, runItemId('new')).collapsible).toBe('expanded');
    expect(find(items, runItemId('old')).collapsible).toBe('collapsed');
    expect(find(items, runItemId('old-child')).collapsible).toBe('none');
  });

  it('selecting a node opens its transcript', () => {
    const items = agentsTreeItems({ session: { sessionId: 'session-1', state } }, T0);
    const coder = find(items, runItemId('coder'));
    expect(coder.command).toEqual({ command: CommandIds.openTranscript, title: 'Open Transcript', arguments: [{ sessionId: 'session-1', runId: 'coder' }] });
    expect(toRunRef(coder)).toEqual({ sessionId: 'session-1', runId: 'coder' });
  });

  it('shows running nodes spinning and cancellable, with the time since they started and what they do', () => {
    const s = new EventScript()
      .add('r1', 0, { kind: 'runStarted', node: node({ id: 'r1', rootId: 'r1', agent: 'orchestrator' }) })
      .add('r1', 10, { kind: 'runFinished', status: 'done', result: 'ok' })
      .add('r2', 20_000, { kind: 'runStarted', node: node({ id: 'r2', rootId: 'r2', agent: 'orchestrator', startedAt: iso(20_000) }) })
      .add('c1', 20_100, { kind: 'runStarted', node: node({ id: 'c1', rootId: 'r2', parentId: 'r2', agent: 'coder', startedAt: iso(20_100) }) })
      .add('c1', 20_200, { kind: 'toolStarted', toolCallId: 't1', name: 'run_command', arguments: { command: 'npm test' } })
      .add('c1', 20_300, { kind: 'approvalRequested', approvalId: 'a1', toolCallId: 't1', name: 'run_command', arguments: {}, reason: 'Commands need approval.' })
      .add('c1', 20_300, { kind: 'statusChanged', status: 'waiting-for-approval' })
      .add('r2', 20_400, { kind: 'toolStarted', toolCallId: 'd1', name: 'delegate_to_agent', arguments: {} });
    const live = applyEvents(emptyRunTreeState(), s.events);
    const items = agentsTreeItems({ session: { sessionId: 's', state: live } }, T0 + 85_000);
    const session = find(items, SectionIds.session);
    expect(session.children.map((c) => c.id)).toEqual([runItemId('r2'), runItemId('r1')]);
    expect(session.description).toBe('2 messages');
    const r2 = find(items, runItemId('r2'));
    expect(r2.icon).toEqual({ id: 'loading~spin' });
    expect(r2.contextValue).toBe(TreeItemContexts.runActive);
    expect(r2.description).toBe('gpt-4o-mini · 1m 05s · delegate_to_agent…');
    const c1 = find(items, runItemId('c1'));
    expect(c1.icon?.id).toBe('bell');
    expect(c1.description).toBe('gpt-4o-mini · 1m 04s · waiting for approval: run_command');
    expect(c1.tooltip).toContain('Waiting for approval: run_command: Commands need approval.');
    expect(runningRoot(live)).toBe('r2');
    expect(runningRoot(applyEvents(live, [{ kind: 'runFinished', runId: 'r2', seq: 99, time: iso(90_000), status: 'cancelled' }]))).toBeUndefined();
  });

  it('offers Resume on an interrupted root only', () => {
    const s = new EventScript()
      .add('r', 0, { kind: 'runStarted', node: node({ id: 'r', rootId: 'r', agent: 'orchestrator' }) })
      .add('c', 5, { kind: 'runStarted', node: node({ id: 'c', rootId: 'r', parentId: 'r', agent: 'coder' }) })
      .add('c', 9, { kind: 'statusChanged', status: 'interrupted' })
      .add('r', 10, { kind: 'statusChanged', status: 'interrupted' });
    const items = agentsTreeItems({ session: { sessionId: 's', state: applyEvents(emptyRunTreeState(), s.events) } }, T0 + 1000);
    expect(find(items, runItemId('r')).contextValue).toBe(TreeItemContexts.runInterrupted);
    expect(find(items, runItemId('r')).icon?.id).toBe('debug-pause');
    expect(find(items, runItemId('c')).contextValue).toBe(TreeItemContexts.runEnded);
  });

  it('knows every node’s parent, so that a run can be revealed from the chat', () => {
    const items = agentsTreeItems({ profile: { name: 'development', profile }, session: { sessionId: 'session-1', state } }, T0);
    const { parentOf } = indexTree(items);
    expect(parentOf.get(runItemId('coder'))).toBe(runItemId('root'));
    expect(parentOf.get(runItemId('root'))).toBe(SectionIds.session);
    expect(parentOf.has(SectionIds.session)).toBe(false);
  });
});

describe('command arguments', () => {
  it('accept a run id, a run reference, a run item or a task item', () => {
    expect(toRunRef('abc')).toEqual({ runId: 'abc' });
    expect(toRunRef({ sessionId: 's', runId: 'r' })).toEqual({ sessionId: 's', runId: 'r' });
    expect(toRunRef(undefined)).toBeUndefined();
    expect(toRunRef('')).toBeUndefined();
    const taskItem = { id: 'task:s', label: 't', collapsible: 'none', children: [], task: { sessionId: 's', runId: 'r', logFile: '/l', title: 't' } };
    expect(toRunRef(taskItem)).toEqual({ sessionId: 's', runId: 'r' });
    expect(toTaskRef(taskItem)).toEqual(taskItem.task);
    expect(toTaskRef({ runId: 'r' })).toBeUndefined();
  });
});

describe('usage in the tree', () => {
  it('leaves out a zero cost (a model with no known price) and zero tokens', () => {
    const s = new EventScript()
      .add('r', 0, { kind: 'runStarted', node: node({ id: 'r', rootId: 'r', agent: 'orchestrator', model: 'llama3.1', provider: 'ollama' }) })
      .add('r', 10, { kind: 'usage', usage: usage(900, 40, 0), treeUsage: usage(900, 40, 0) })
      .add('r', 2000, { kind: 'runFinished', status: 'done' });
    const items = agentsTreeItems({ session: { sessionId: 's', state: applyEvents(emptyRunTreeState(), s.events) } }, T0);
    expect(find(items, runItemId('r')).description).toBe('llama3.1 · 940 tok · 2s');
  });
});
