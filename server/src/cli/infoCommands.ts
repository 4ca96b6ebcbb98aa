/**
 * The read-only commands: `moco list-profiles`, `moco sessions list`, `moco sessions show <id>`.
 * Plain text on stdout, or JSON with `--json`.
 */
import type { MocoEngine } from '../engine/engine';
import { withCliEngine } from './cliContext';
import { formatTokens, formatUsd } from './render/format';

function withEngine(workingDir: string | undefined, action: (engine: MocoEngine) => Promise<void> | void): Promise<void> {
  return withCliEngine(workingDir ? { workingDir } : {}, action);
}

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** `moco list-profiles`: the profiles found, their agents and warnings; broken ones on stderr. */
export async function listProfilesCommand(options: { workingDir?: string; json?: boolean }): Promise<void> {
  await withEngine(options.workingDir, async (engine) => {
    const result = await engine.listProfiles(options.workingDir);
    if (options.json) return print(JSON.stringify(result));
    for (const profile of result.profiles) {
      print(`${profile.name} (${profile.source}) — ${profile.description.trim().split('\n')[0] ?? ''}`);
      for (const agent of profile.agents) {
        const entry = agent.name === profile.entryAgent ? ' [entry]' : '';
        print(`  ${agent.name}${entry} (${agent.mode}${agent.model ? `, ${agent.model}` : ''}): ${agent.description.split('\n')[0] ?? ''}`);
      }
      for (const warning of profile.warnings) process.stderr.write(`warning: ${warning}\n`);
    }
    for (const error of result.errors) process.stderr.write(`error: ${error.file}${error.line ? `:${error.line}` : ''}: ${error.message}\n`);
  });
}

/** `moco sessions list`. */
export async function sessionsListCommand(options: { json?: boolean }): Promise<void> {
  await withEngine(undefined, (engine) => {
    const sessions = engine.listSessions();
    if (options.json) return print(JSON.stringify(sessions));
    if (sessions.length === 0) return print('No sessions yet. Start one with: moco run "task" or moco chat');
    for (const s of sessions) {
      const tokens = formatTokens(s.usage.inputTokens + s.usage.outputTokens);
      print(`${s.id}  ${s.updatedAt}  ${s.profile}  ${s.model}  ${s.runCount} run(s)  ${tokens} tokens  ${formatUsd(s.usage.costUsd)}${s.resumable ? '  [interrupted: moco resume ' + s.id + ']' : ''}  ${s.name}`);
    }
  });
}

/** `moco sessions show <id>`: the run trees and messages of a session. */
export async function sessionsShowCommand(sessionId: string, options: { json?: boolean }): Promise<void> {
  await withEngine(undefined, (engine) => {
    const detail = engine.getSession(sessionId);
    if (options.json) return print(JSON.stringify(detail));
    const { session, runs } = detail;
    print(`${session.name || '(unnamed)'} — ${session.id}`);
    print(`profile ${session.profile} · ${session.model} · ${session.workingDir}`);
    const byId = new Map(runs.map((node) => [node.id, node]));
    const depth = (id: string): number => {
      let level = 0;
      for (let parent = byId.get(id)?.parentId; parent; parent = byId.get(parent)?.parentId) level += 1;
      return level;
    };
    for (const node of runs) {
      const indent = '  '.repeat(depth(node.id));
      const tokens = formatTokens(node.usage.inputTokens + node.usage.outputTokens);
      print(`${indent}- ${node.agent} [${node.status}] ${node.provider}/${node.model} · ${tokens} tokens · ${formatUsd(node.usage.costUsd)}`);
      print(`${indent}  task: ${node.task.split('\n')[0] ?? ''}`);
      if (node.result) print(`${indent}  answer: ${node.result.split('\n')[0] ?? ''}`);
      if (node.error) print(`${indent}  error: ${node.error.message}`);
    }
  });
}
