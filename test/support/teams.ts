/**
 * Teams of agents for engine tests, written into a temporary `MOCO_PROFILES_DIR`, and a mock
 * script that answers each agent by name. Each agent's prompt carries the marker `[agent:NAME]`,
 * so the mock knows who is calling however the requests interleave.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { MockReply, MockRequest, MockScript } from './mockLlm';

/** One agent of a test team. */
export interface TeamAgent {
  name: string;
  tools: string[];
  mode?: 'primary' | 'subagent';
}

/** A test profile. */
export interface TeamOptions {
  name: string;
  agents: TeamAgent[];
  /** Extra lines under `orchestrator:` in profile.yaml, for example `max_parallel_tasks: 2`. */
  orchestrator?: string[];
}

/** Writes `<profilesDir>/<name>/profile.yaml` and `agents/*.md`. @returns the profile folder. */
export async function writeTeam(profilesDir: string, team: TeamOptions): Promise<string> {
  const dir = path.join(profilesDir, team.name);
  await mkdir(path.join(dir, 'agents'), { recursive: true });
  const orchestrator = ['  retry: { attempts: 3, base_delay_ms: 10 }', ...(team.orchestrator ?? []).map((line) => `  ${line}`)];
  await writeFile(path.join(dir, 'profile.yaml'), [`name: ${team.name}`, 'description: a test team', 'orchestrator:', ...orchestrator, ''].join('\n'));
  for (const agent of team.agents) {
    const front = ['---', `description: test agent ${agent.name}`, `mode: ${agent.mode ?? (agent.name === 'orchestrator' ? 'primary' : 'subagent')}`, 'tools:', ...agent.tools.map((tool) => `  - ${tool}`), '---'];
    await writeFile(path.join(dir, 'agents', `${agent.name}.md`), [...front, `[agent:${agent.name}] You are ${agent.name}.`, ''].join('\n'));
  }
  return dir;
}

/** The agent a request comes from, from the `[agent:NAME]` marker of its system prompt. */
export function agentOf(request: MockRequest): string {
  return /\[agent:([\w-]+)\]/.exec(request.systemPrompt)?.[1] ?? 'unknown';
}

/** The number of assistant messages in the request: 0 for an agent's first call. */
export function turnOf(request: MockRequest): number {
  return (request.body.messages ?? []).filter((message) => message.role === 'assistant').length;
}

/** The user message that started the agent (its task). */
export function taskOf(request: MockRequest): string {
  const user = (request.body.messages ?? []).filter((message) => message.role === 'user').at(-1);
  return typeof user?.content === 'string' ? user.content : '';
}

/** Answers of one agent, by turn; a turn past the last gets a final 'done' text. */
export type AgentHandler = (request: MockRequest, turn: number) => MockReply;

/** A mock script that dispatches each request to its agent's handler. */
export function teamScript(handlers: Record<string, AgentHandler>): MockScript {
  return (request) => {
    const agent = agentOf(request);
    const handler = handlers[agent];
    if (!handler) return { status: 500, errorBody: { error: { message: `mock: no handler for agent ${agent}` } } };
    return handler(request, turnOf(request));
  };
}
