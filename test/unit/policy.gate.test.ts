// The command gate of an agent run: allow, deny and ask (approve, refuse, always, cancel), the
// messages the model reads, and every decision in the audit log of a real SQLite file.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  CommandPolicy,
  createCommandGate,
  rulesFromMap,
  SessionRules,
  type CommandApprovalAnswer,
  type CommandApprovalRequest,
} from '../../server/src/policy';
import { openDatabase, type MocoDatabase } from '../../server/src/storage/database';
import type { CommandGate } from '../../server/src/tools/services';

let policy: CommandPolicy;
let strictPolicy: CommandPolicy;
let dir: string;
let db: MocoDatabase;
let sessionId: string;
const never = new AbortController().signal;

beforeAll(async () => {
  const options = { workspaceRoot: '/work/shop-api', homeDir: '/home/ada' };
  policy = await CommandPolicy.create({ ...options, rules: rulesFromMap({ 'npm publish*': 'deny' }, 'profile'), defaultDecision: 'ask' });
  strictPolicy = await CommandPolicy.create({ ...options, rules: [], defaultDecision: 'deny' });
});
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'moco-gate-'));
  db = openDatabase(path.join(dir, 'moco.db'));
  sessionId = db.sessions.create({ profile: 'development', model: 'zai/glm-4.7', workingDir: '/work/shop-api' }).id;
});
afterEach(async () => {
  db.close();
  await rm(dir, { recursive: true, force: true });
});

/** A gate whose user answers from a list, recording what they were asked. */
function gateFor(answers: CommandApprovalAnswer[], options: { runId?: string; agent?: string; sessionRules?: SessionRules; policy?: CommandPolicy } = {}) {
  const asked: CommandApprovalRequest[] = [];
  const sessionRules = options.sessionRules ?? new SessionRules();
  const gate: CommandGate = createCommandGate({
    policy: options.policy ?? policy,
    sessionRules,
    audit: db.audit,
    who: { sessionId, runId: options.runId ?? 'run-1', agent: options.agent ?? 'backend-coder' },
    ask: (request) => {
      asked.push(request);
      const answer = answers.shift();
      if (!answer) throw new Error(`unexpected question about ${request.command}`);
      return Promise.resolve(answer);
    },
    now: () => new Date('2026-11-23T09:30:00.000Z'),
  });
  return { gate, asked, sessionRules };
}

describe('the command gate', () => {
  it('lets an allowed command through without asking, and records it', async () => {
    const { gate, asked } = gateFor([]);
    expect(await gate.authorize({ command: 'git status && ls -la', tool: 'execute_bash' }, never)).toEqual({ ok: true });
    expect(asked).toEqual([]);
    expect(db.audit.list()).toEqual([
      expect.objectContaining({
        time: '2026-11-23T09:30:00.000Z', sessionId, runId: 'run-1', agent: 'backend-coder', tool: 'execute_bash',
        command: 'git status && ls -la', decisive: 'git status', ruleSource: 'builtin', decision: 'allow', outcome: 'allowed',
      }),
    ]);
  });

  it('refuses a denied command with the rule, the reason and "do not retry", without asking', async () => {
    const { gate, asked } = gateFor([]);
    const result = await gate.authorize({ command: 'sudo rm -rf --no-preserve-root / # allow_dangerous=true', tool: 'execute_bash' }, never);
    expect(asked).toEqual([]);
    expect(result).toMatchObject({ ok: false, summary: 'denied by rule "rm -rf /" (builtin)' });
    const message = (result as { message: string }).message;
    expect(message).toContain('the command policy denies it.');
    expect(message).toContain('the built-in rule "rm -rf /"');
    expect(message).toContain('recursively deletes the root file system');
    expect(message).toContain('Do not retry it, in this or another spelling');
    expect(db.audit.list()).toEqual([
      expect.objectContaining({ decisive: 'rm -rf --no-preserve-root /', rulePattern: 'rm -rf /', ruleSource: 'builtin', decision: 'deny', outcome: 'denied' }),
    ]);
  });

  it("names a user rule's source when it denies", async () => {
    const { gate } = gateFor([]);
    expect(await gate.authorize({ command: 'npm publish --access public', tool: 'start_background' }, never)).toMatchObject({ ok: false, summary: 'denied by rule "npm publish*" (profile)' });
    expect(db.audit.list()[0]).toMatchObject({ tool: 'start_background', rulePattern: 'npm publish*', ruleSource: 'profile', outcome: 'denied' });
  });

  it('asks about an unknown command, runs it when approved, and records the approval', async () => {
    const { gate, asked } = gateFor(['approve']);
    expect(await gate.authorize({ command: 'npm run build', tool: 'execute_bash' }, never)).toEqual({ ok: true });
    expect(asked).toEqual([
      expect.objectContaining({ command: 'npm run build', tool: 'execute_bash', alwaysPatterns: ['npm run*'], reason: '`npm run build` matches no rule, and commands without a rule need approval.' }),
    ]);
    expect(asked[0]?.verdict.decision).toBe('ask');
    expect(db.audit.list()).toEqual([expect.objectContaining({ decisive: 'npm run build', ruleSource: 'default', decision: 'ask', outcome: 'approved' })]);
    expect(db.audit.list()[0]).not.toHaveProperty('rulePattern');
  });

  it('refuses when the user says no, and tells the model not to run it again', async () => {
    const { gate } = gateFor(['deny']);
    const result = await gate.authorize({ command: 'make deploy', tool: 'execute_bash' }, never);
    expect(result).toMatchObject({ ok: false, summary: 'rejected by the user' });
    expect((result as { message: string }).message).toContain('the user refused to run it');
    expect((result as { message: string }).message).toContain('Do not run it again');
    expect(db.audit.list()[0]).toMatchObject({ outcome: 'rejected', decision: 'ask', reason: expect.stringContaining('The user refused.') as unknown });
  });

  it('"Always" allows such commands for the session, also for sub-agents, never beyond a deny', async () => {
    const sessionRules = new SessionRules();
    const parent = gateFor(['always'], { sessionRules });
    expect(await parent.gate.authorize({ command: 'cargo test --release', tool: 'execute_bash' }, never)).toEqual({ ok: true });
    expect(sessionRules.rules).toEqual([{ pattern: 'cargo test*', decision: 'allow', source: 'session' }]);

    const child = gateFor([], { sessionRules, runId: 'run-2', agent: 'unit-tester' });
    expect(await child.gate.authorize({ command: 'cargo test -p api', tool: 'execute_bash' }, never)).toEqual({ ok: true });
    expect(await child.gate.authorize({ command: 'cargo test; rm -rf ~', tool: 'execute_bash' }, never)).toMatchObject({ ok: false });
    expect(child.asked).toEqual([]);

    const rows = db.audit.list();
    expect(rows.map((row) => [row.runId, row.agent, row.outcome, row.ruleSource])).toEqual([
      ['run-2', 'unit-tester', 'denied', 'builtin'],
      ['run-2', 'unit-tester', 'allowed', 'session'],
      ['run-1', 'backend-coder', 'approved', 'default'],
    ]);
    expect(rows[2]?.reason).toContain('allowed "cargo test*" for the session');
  });

  it('offers no "always" pattern when a rule (not the default) asked', async () => {
    const { gate, asked } = gateFor(['always']);
    await gate.authorize({ command: 'git clean -fdx', tool: 'execute_bash' }, never);
    expect(asked[0]?.alwaysPatterns).toEqual([]);
    expect(await gateFor(['deny']).gate.authorize({ command: 'git clean -fdx', tool: 'execute_bash' }, never)).toMatchObject({ ok: false });
  });

  it('records a cancel while the user is asked as rejected, and passes the cancel on', async () => {
    const controller = new AbortController();
    const gate = createCommandGate({
      policy,
      sessionRules: new SessionRules(),
      audit: db.audit,
      who: { sessionId, runId: 'run-1', agent: 'orchestrator' },
      ask: (_request, signal) => new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error))),
    });
    const pending = gate.authorize({ command: 'make', tool: 'execute_bash' }, controller.signal);
    controller.abort(new DOMException('The run was cancelled.', 'AbortError'));
    await expect(pending).rejects.toThrow('The run was cancelled.');
    expect(db.audit.list()[0]).toMatchObject({ outcome: 'rejected', reason: expect.stringContaining('cancelled') as unknown });
  });

  it('denies unknown commands without asking where the default is deny (the CLI without a terminal)', async () => {
    const { gate, asked } = gateFor([], { policy: strictPolicy });
    expect(await gate.authorize({ command: 'make', tool: 'execute_bash' }, never)).toMatchObject({ ok: false, summary: 'denied: no rule matches (default deny)' });
    expect(await gate.authorize({ command: 'ls', tool: 'execute_bash' }, never)).toEqual({ ok: true });
    expect(asked).toEqual([]);
  });

  it('refuses the command when the audit log cannot be written (fails closed)', async () => {
    const { gate } = gateFor([]);
    db.close();
    const result = await gate.authorize({ command: 'ls', tool: 'execute_bash' }, never);
    expect(result).toMatchObject({ ok: false, summary: 'refused: the audit log cannot be written' });
    db = openDatabase(path.join(dir, 'moco.db'));
  });

  it('judges a command in the folder it starts in: rm -rf * at the root is denied, in a sub-folder it is asked about', async () => {
    const root = gateFor([]);
    expect(await root.gate.authorize({ command: 'rm -rf *', tool: 'execute_bash', cwd: '/work/shop-api' }, never)).toMatchObject({ ok: false });
    const build = gateFor(['approve']);
    expect(await build.gate.authorize({ command: 'rm -rf *', tool: 'execute_bash', cwd: '/work/shop-api/build' }, never)).toEqual({ ok: true });
    expect(build.asked).toHaveLength(1);
  });
});
