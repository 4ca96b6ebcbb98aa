/**
 * `moco commit [--apply]`: writes a commit message for the staged changes (all changes, untracked
 * files included, when nothing is staged) with the repository's conventions (server/src/git), and
 * with `--apply` commits what it describes. Only the message goes to stdout: streamed on a
 * terminal, printed whole when piped (so `moco commit > msg.txt` holds the cleaned message alone);
 * notes, the scope and the new commit's hash go to stderr. An error is one line on stderr and exit
 * status 1; Ctrl+C cancels (130), a second Ctrl+C quits at once.
 */
import * as path from 'node:path';
import type { Command } from 'commander';
import type { CommitMessageParams, CommitMessagePartial } from '../../../protocol/git';
import { commitChanges } from '../git/commit';
import { writeCommitMessage } from '../git/commitMessage';
import { openRepository } from '../git/repository';
import { failWith, withCancellableEngine } from './cliContext';

/** The flags of `moco commit`, as commander parses them. */
export interface CommitFlags {
  apply?: boolean;
  workingDir?: string;
  provider?: string;
  model?: string;
  profile?: string;
  language?: string;
}

/** Adds `moco commit` to the program. */
export function registerCommitCommand(program: Command): void {
  program
    .command('commit')
    .description('write a commit message for the staged changes (all changes when nothing is staged) and print it; --apply commits with it')
    .option('--apply', 'commit with the message: the staged changes, or all changes (new files included) when nothing was staged')
    .option('-w, --working-dir <dir>', 'the repository folder (default: the current one)')
    .option('-P, --provider <name>', 'provider, optionally with a model: openrouter, zai/glm-4.7')
    .option('-m, --model <name>', 'model name')
    .option('-p, --profile <name>', "profile whose entry agent's model writes the message")
    .option('--language <language>', "language of the message, for example English or Deutsch (default: MOCO_COMMIT_LANGUAGE, else the recent commits')")
    .action((flags: CommitFlags) => commitCommand(flags));
}

/** Writes `partial`s to stdout as they come, on a terminal; returns what was shown. */
function streamer(live: boolean): { onPartial: (partial: CommitMessagePartial) => void; shown: () => string } {
  let shown = '';
  return {
    onPartial: (partial) => {
      if (!live) return;
      if (partial.reset) {
        process.stderr.write('\nmoco: the provider retried; the message starts again.\n');
        shown = '';
      }
      shown += partial.delta;
      process.stdout.write(partial.delta);
    },
    shown: () => shown,
  };
}

/** `moco commit`: prints the message, and with `--apply` commits. */
export async function commitCommand(flags: CommitFlags): Promise<void> {
  const repositoryPath = path.resolve(flags.workingDir ?? process.cwd());
  await withCancellableEngine(
    { workingDir: repositoryPath },
    async (engine, signal) => {
      const language = flags.language ?? (await engine.toolSettings()).git.commitLanguage;
      const params: CommitMessageParams = {
        repositoryPath,
        ...(language ? { language } : {}),
        ...(flags.profile ? { profile: flags.profile } : {}),
        ...(flags.provider ? { provider: flags.provider } : {}),
        ...(flags.model ? { model: flags.model } : {}),
      };
      const live = process.stdout.isTTY === true;
      const stream = streamer(live);
      const result = await writeCommitMessage(engine, params, stream.onPartial, signal);
      if (!live) process.stdout.write(`${result.message}\n`);
      else if (stream.shown().trim() === result.message) process.stdout.write('\n');
      else {
        process.stderr.write('\nmoco: the message, cleaned:\n');
        process.stdout.write(`${result.message}\n`);
      }
      if (result.scope === 'all') process.stderr.write('moco: nothing was staged, so the message describes all changes (new files included).\n');
      for (const note of result.notes) process.stderr.write(`moco: note: ${note}\n`);
      if (!flags.apply) return;
      if (result.message === '') return failWith('the model gave no message, so nothing was committed. Try again, or pick another model.');
      const repository = await openRepository(repositoryPath, signal);
      // Nothing was staged: stage the files the message describes, not one created since.
      const outcome = await commitChanges(repository, result.message, result.scope === 'all' ? { listedPaths: result.files } : {}, signal);
      process.stderr.write(`moco: committed ${outcome.shortHash} (${outcome.files.length} ${outcome.files.length === 1 ? 'file' : 'files'}).\n`);
    },
    { cancelled: 'cancelled; nothing was committed' },
  );
}
