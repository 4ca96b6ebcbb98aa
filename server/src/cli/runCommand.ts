/**
 * `moco run "task"`: one run tree, shown live, then exit 0 when the root is done, 1 when it failed,
 * 130 when it was cancelled (Ctrl+C). Also `moco resume`, which continues an interrupted tree.
 */
import type { RunNode } from '../../../protocol/run';
import type { MocoEngine, StartedRun } from '../engine/engine';
import { cliRenderer, EXIT_CANCELLED, failWith, onInterrupt, withCliEngine, type RunFlags } from './cliContext';
import type { Renderer } from './render/types';

/** The session a run continues, from `--session` / `--continue`; undefined for a new one. */
export function chosenSession(engine: MocoEngine, flags: RunFlags): string | undefined {
  if (flags.new) return undefined;
  if (flags.session) return flags.session;
  if (flags.continue) {
    const latest = engine.listSessions()[0];
    if (!latest) throw new Error('There is no session to continue yet: run without --continue to start one.');
    return latest.id;
  }
  return undefined;
}

/**
 * Shows a started run until its root ends, cancelling it on the first Ctrl+C (a second one exits
 * at once). @returns the root's final node.
 */
export async function followRun(engine: MocoEngine, started: StartedRun, renderer: Renderer): Promise<RunNode> {
  const stopListening = onInterrupt(() => engine.cancel(started.runId));
  try {
    return await started.done;
  } finally {
    stopListening();
    renderer.finish();
  }
}

/** Sets the exit code from a root's final status, with a one-line reason on failure. */
export function reportOutcome(root: RunNode): void {
  if (root.status === 'done') return;
  if (root.status === 'cancelled') failWith('the run was cancelled', EXIT_CANCELLED);
  else failWith(root.error?.message ?? `the run ended ${root.status}`);
}

/** `moco run TASK`. */
export async function runCommand(task: string, flags: RunFlags): Promise<void> {
  const renderer = cliRenderer(flags);
  await withCliEngine(flags, async (engine) => {
    const sessionId = chosenSession(engine, flags);
    const started = await engine.send({
      text: task,
      ...(sessionId ? { sessionId } : {}),
      ...(flags.profile ? { profile: flags.profile } : {}),
      ...(flags.provider ? { provider: flags.provider } : {}),
      ...(flags.model ? { model: flags.model } : {}),
      ...(flags.workingDir ? { workingDir: flags.workingDir } : {}),
    });
    reportOutcome(await followRun(engine, started, renderer));
  }, renderer);
}

/** `moco resume [ID]`: the interrupted tree of a run or session id, or the latest one. */
export async function resumeCommand(id: string | undefined, flags: RunFlags): Promise<void> {
  const renderer = cliRenderer(flags);
  await withCliEngine(flags, async (engine) => {
    const root = findInterrupted(engine, id);
    reportOutcome(await followRun(engine, await engine.resume(root), renderer));
  }, renderer);
}

function findInterrupted(engine: MocoEngine, id: string | undefined): string {
  const sessions = engine.listSessions().filter((session) => !id || session.id === id);
  for (const session of sessions) {
    const root = engine.getSession(session.id).runs.find((node) => !node.parentId && node.status === 'interrupted');
    if (root) return root.id;
  }
  if (id && sessions.length === 0) return id;
  throw new Error(id ? `Nothing to resume in ${id}: it has no interrupted run.` : 'There is no interrupted run to resume.');
}
