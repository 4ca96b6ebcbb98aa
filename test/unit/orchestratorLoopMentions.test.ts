// Loop detection and MOCO's `@agent-name task` lines, as pure functions.
import { describe, expect, it } from 'vitest';
import { parseMentions } from '../../server/src/orchestrator/delegation';
import { LOOP_BLOCKS_BEFORE_STOP, LoopDetector } from '../../server/src/orchestrator/loopDetector';
import type { AgentConfig, Profile } from '../../server/src/profiles';

function agent(name: string): AgentConfig {
  return { name, description: '', mode: 'subagent', systemPrompt: '', tools: [], unavailableTools: [], mcpTools: { allow: [], deny: [], wildcard: true }, file: `/profiles/team/agents/${name}.md` };
}

const profile: Profile = {
  name: 'team',
  description: '',
  source: 'env',
  path: '/profiles/team',
  includeBaseTools: true,
  mcpServers: [],
  orchestrator: { maxParallelTasks: 5, retry: { attempts: 3, baseDelayMs: 200 }, maxToolCallsPerTurn: 20, maxTurns: 50, budget: {}, maxInputChars: 400_000 },
  policyRules: {},
  agents: [agent('backend-coder'), agent('orchestrator'), agent('reviewer')],
  entryAgent: 'orchestrator',
  skills: [],
  warnings: [],
};

const mentions = (text: string): { agent: string; task: string }[] =>
  parseMentions(text, profile, 'orchestrator').map((mention) => ({ agent: mention.agent.name, task: mention.task }));

describe('LoopDetector', () => {
  it('blocks the 3rd identical call and tells the model why', () => {
    const loop = new LoopDetector();
    expect(loop.check('read_file', { path: 'a.ts' })).toEqual({ blocked: false });
    expect(loop.check('read_file', { path: 'a.ts' })).toEqual({ blocked: false });
    const third = loop.check('read_file', { path: 'a.ts' });
    expect(third).toMatchObject({ blocked: true, stop: false });
    expect(third.blocked && third.message).toMatch(/read_file with the same arguments 3 times in your last 10 tool calls/);
  });

  it('compares arguments by value, and lets calls with other arguments or another tool through', () => {
    const loop = new LoopDetector();
    loop.check('read_file', { path: 'a.ts', offset: 1 });
    loop.check('read_file', { offset: 1, path: 'a.ts' });
    expect(loop.check('read_file', { path: 'a.ts', offset: 2 })).toEqual({ blocked: false });
    expect(loop.check('grep', { path: 'a.ts', offset: 1 })).toEqual({ blocked: false });
    expect(loop.check('read_file', { path: 'a.ts', offset: 1 }).blocked).toBe(true);
  });

  it('counts within the last 10 calls: the 3rd call is blocked while the 1st is among them', () => {
    const loop = new LoopDetector();
    loop.check('read_file', { path: 'a.ts' }); // call 1
    loop.check('read_file', { path: 'a.ts' }); // call 2
    for (let i = 3; i <= 9; i++) loop.check('grep', { pattern: `p${i}` });
    // Calls 1..10: three identical reads.
    expect(loop.check('read_file', { path: 'a.ts' }).blocked).toBe(true);
  });

  it('lets the window slide: a call whose earlier twins are older than the last 10 calls runs', () => {
    const loop = new LoopDetector();
    loop.check('read_file', { path: 'a.ts' }); // call 1
    loop.check('read_file', { path: 'a.ts' }); // call 2
    for (let i = 3; i <= 11; i++) loop.check('grep', { pattern: `p${i}` });
    // Calls 3..12 hold no other read of a.ts.
    expect(loop.check('read_file', { path: 'a.ts' })).toEqual({ blocked: false });
  });

  it('counts the calls in the window as the issue words it: 3 times in the last 10 calls, the current one included', () => {
    const loop = new LoopDetector();
    loop.check('read_file', { path: 'a.ts' }); // call 1: out of the window of call 11
    loop.check('read_file', { path: 'a.ts' }); // call 2
    for (let i = 3; i <= 10; i++) loop.check('grep', { pattern: `p${i}` });
    // The last 10 calls (2..11) hold 2 reads of a.ts, not 3.
    expect(loop.check('read_file', { path: 'a.ts' })).toEqual({ blocked: false });
  });

  it(`says stop after ${LOOP_BLOCKS_BEFORE_STOP} blocked calls, even of different tools`, () => {
    const loop = new LoopDetector();
    for (const args of [{ path: 'a.ts' }, { path: 'b.ts' }]) {
      loop.check('read_file', args);
      loop.check('read_file', args);
    }
    expect(loop.check('read_file', { path: 'a.ts' })).toMatchObject({ blocked: true, stop: false });
    expect(loop.check('read_file', { path: 'b.ts' })).toMatchObject({ blocked: true, stop: false });
    expect(loop.check('read_file', { path: 'a.ts' })).toMatchObject({ blocked: true, stop: true });
  });

  it('keeps no state between detectors: each agent run has its own', () => {
    const first = new LoopDetector();
    const second = new LoopDetector();
    first.check('todoread', {});
    first.check('todoread', {});
    expect(second.check('todoread', {})).toEqual({ blocked: false });
    expect(first.check('todoread', {}).blocked).toBe(true);
  });
});

describe('parseMentions (MOCO @-lines)', () => {
  it('reads `@name task` and `@name: task` lines, one mention per agent line', () => {
    expect(mentions('Plan:\n@backend-coder add the /health route\n@reviewer: review the route')).toEqual([
      { agent: 'backend-coder', task: 'add the /health route' },
      { agent: 'reviewer', task: 'review the route' },
    ]);
  });

  it('matches agent names case-insensitively and gives the profile\'s spelling', () => {
    expect(mentions('@Backend-Coder write it\n@REVIEWER: check it')).toEqual([
      { agent: 'backend-coder', task: 'write it' },
      { agent: 'reviewer', task: 'check it' },
    ]);
  });

  it('ignores the agent itself and names that are not in the profile', () => {
    expect(mentions('@orchestrator note to self\n@nobody do this\n@reviewer check')).toEqual([{ agent: 'reviewer', task: 'check' }]);
    expect(parseMentions('@reviewer check', profile, 'REVIEWER')).toEqual([]);
  });

  it('does not take the lines under an ignored @ line into the mention before it', () => {
    expect(mentions('@reviewer check a.ts\n@nobody rewrite everything\nand delete the tests')).toEqual([{ agent: 'reviewer', task: 'check a.ts' }]);
  });

  it('continues a task over the following lines until the next @ line', () => {
    expect(mentions('@backend-coder add a route\n- path /health\n- returns 200\n@reviewer check it')).toEqual([
      { agent: 'backend-coder', task: 'add a route\n- path /health\n- returns 200' },
      { agent: 'reviewer', task: 'check it' },
    ]);
  });

  it('ends a task at two blank lines in a row, and keeps a single blank line inside it', () => {
    const text = '@backend-coder add a route\n\nwith a test\n\n\nThanks, I will wait for the results.';
    expect(mentions(text)).toEqual([{ agent: 'backend-coder', task: 'add a route\n\nwith a test' }]);
  });

  it('takes a task that starts on the line below its @ line, and drops an @ line with no task', () => {
    expect(mentions('@reviewer\nreview src/app.ts')).toEqual([{ agent: 'reviewer', task: 'review src/app.ts' }]);
    expect(mentions('@reviewer\n\n\n')).toEqual([]);
  });

  it('ignores @ names in the middle of a line and answers without @ lines', () => {
    expect(mentions('I asked @reviewer earlier; mail dev@example.com.')).toEqual([]);
    expect(mentions('All done: the route works.')).toEqual([]);
  });

  it('reads Windows line ends', () => {
    expect(mentions('@reviewer check a.ts\r\nand b.ts\r\n@backend-coder fix')).toEqual([
      { agent: 'reviewer', task: 'check a.ts\nand b.ts' },
      { agent: 'backend-coder', task: 'fix' },
    ]);
  });
});
