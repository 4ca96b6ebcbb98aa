/**
 * The team and the mock model of the editor's end-to-end tests. An orchestrator delegates to three
 * writers at once; writer-a also delegates to a helper; each writes one file; the orchestrator then
 * sums up in an answer that streams slowly enough to be seen arriving. Other tasks drive a long
 * run (for Stop) and a background task.
 */
import { execFileSync } from 'node:child_process';
import { cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { MockReply, MockRequest, MockScript } from '../../support/mockLlm';
import { agentOf, taskOf, writeTeam } from '../../support/teams';
import { fixtureWorkspace } from './paths';

/** The profile name of the team. */
export const TEAM = 'e2e-team';
/** The API key the test types into `MOCO: Set API Key`; the mock refuses any other. */
export const API_KEY = 'sk-e2e-secret-key-0123456789';
/** The task that makes the orchestrator delegate to the three writers. */
export const DELEGATION_TASK = 'Write the three files of the plan.';
/** The orchestrator's summary; it streams in 12 chunks, 150 ms apart. */
export const SUMMARY = 'All four files are written: a.txt, b.txt, c.txt and d.txt. The helper wrote d.txt for writer-a.';
/** A task whose answer takes long, to be stopped. */
export const LONG_TASK = 'Think about it for a long time.';
/** A task sent straight to writer-b whose write needs approval. */
export const APPROVAL_TASK = '@writer-b write approved.txt';
/** A background task. */
export const BACKGROUND_TASK = 'Write the background report.';
/** What each writer writes, by file name. */
export const FILES: Record<string, string> = {
  'a.txt': 'alpha\n',
  'b.txt': 'bravo\n',
  'c.txt': 'charlie\n',
  'd.txt': 'delta\n',
  'approved.txt': 'approved\n',
  'report.txt': 'background report\n',
};

const write = (file: string): MockReply => ({
  toolCalls: [{ name: 'write_file', arguments: { path: file, content: FILES[file] } }],
});

/**
 * A copy of the fixture workspace that is a real git repository (one commit), with the team in
 * `.moco/profiles/`. @returns its path.
 */
export async function createGitWorkspace(): Promise<string> {
  const dir = path.join(await mkdtemp(path.join(tmpdir(), 'moco-e2e-ws-')), 'project');
  await cp(fixtureWorkspace, dir, { recursive: true });
  await writeTeam(path.join(dir, '.moco', 'profiles'), {
    name: TEAM,
    agents: [
      { name: 'orchestrator', tools: ['delegate_to_agent'], mode: 'primary' },
      { name: 'writer-a', tools: ['write_file', 'delegate_to_agent'] },
      { name: 'writer-b', tools: ['write_file'] },
      { name: 'writer-c', tools: ['write_file'] },
      { name: 'helper', tools: ['write_file'] },
    ],
  });
  const git = (...args: string[]): void => void execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
  git('init', '-q', '-b', 'main');
  git('-c', 'user.name=MOCO e2e', '-c', 'user.email=e2e@moco.invalid', 'add', '-A');
  git('-c', 'user.name=MOCO e2e', '-c', 'user.email=e2e@moco.invalid', 'commit', '-q', '-m', 'Fixture');
  return dir;
}

/**
 * The agent's turn on its current task: the assistant messages after the last user message (a
 * chat session's root agent also sees the earlier messages of the session).
 */
function turnSinceTask(request: MockRequest): number {
  const messages = request.body.messages ?? [];
  const lastUser = messages.map((m) => m.role).lastIndexOf('user');
  return messages.slice(lastUser + 1).filter((m) => m.role === 'assistant').length;
}

/** The mock's script: the answers of each agent by its task and turn. */
export const e2eScript: MockScript = (request) => {
  if (request.headers.authorization !== `Bearer ${API_KEY}`) {
    return { status: 401, errorBody: { error: { message: 'Incorrect API key provided.', type: 'invalid_request_error', code: 'invalid_api_key' } } };
  }
  const agent = agentOf(request);
  const turn = turnSinceTask(request);
  const task = taskOf(request);
  switch (agent) {
    case 'orchestrator':
      if (task.includes(LONG_TASK)) return { content: 'Thinking… '.repeat(200), contentChunks: 200, chunkDelayMs: 200 };
      if (task.includes(BACKGROUND_TASK)) {
        return turn === 0
          ? { toolCalls: [{ name: 'delegate_to_agent', arguments: { agent_name: 'writer-c', task: 'Write report.txt' } }] }
          : { content: 'The background report is in report.txt.' };
      }
      if (turn === 0) {
        return {
          content: 'I will ask the three writers at once.',
          toolCalls: ['writer-a', 'writer-b', 'writer-c'].map((name, i) => ({
            name: 'delegate_to_agent',
            arguments: { agent_name: name, task: `Write ${['a', 'b', 'c'][i]}.txt` },
          })),
        };
      }
      return { content: SUMMARY, contentChunks: 12, chunkDelayMs: 150 };
    case 'writer-a':
      if (turn === 0) {
        return {
          toolCalls: [
            { name: 'write_file', arguments: { path: 'a.txt', content: FILES['a.txt'] } },
            { name: 'delegate_to_agent', arguments: { agent_name: 'helper', task: 'Write d.txt' } },
          ],
        };
      }
      return { content: 'a.txt is written, and the helper wrote d.txt.' };
    case 'writer-b':
      if (task.includes('approved.txt')) return turn === 0 ? write('approved.txt') : { content: 'approved.txt is written.' };
      return turn === 0 ? write('b.txt') : { content: 'b.txt is written.' };
    case 'writer-c':
      if (task.includes('report.txt')) return turn === 0 ? write('report.txt') : { content: 'report.txt is written.' };
      return turn === 0 ? write('c.txt') : { content: 'c.txt is written.' };
    case 'helper':
      return turn === 0 ? write('d.txt') : { content: 'd.txt is written.' };
    default:
      return { status: 500, errorBody: { error: { message: `mock: no agent ${agent}` } } };
  }
};
