#!/usr/bin/env node
/**
 * Entry of the `moco` command-line tool (`dist/cli.js`). It only wires commands; each command's
 * logic lives in its own module under `cli/`.
 */
import { Command } from 'commander';
import { chatCommand } from './cli/chatCommand';
import { registerCommitCommand } from './cli/commitCommand';
import { addRunFlags, type RunFlags } from './cli/cliContext';
import { listProfilesCommand, sessionsListCommand, sessionsShowCommand } from './cli/infoCommands';
import { resumeCommand, runCommand } from './cli/runCommand';
import { registerPrCommand } from './cli/prCommand';
import { registerReviewCommand } from './cli/reviewCommand';
import { versionLine } from './cli/version';
import { mocoVersion } from './version';

// `moco sessions list | head`: a closed pipe ends the command quietly, as for any Unix tool.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const program = new Command('moco')
  .description('MOCO: a team of AI agents, headless.')
  .version(mocoVersion, '-V, --version', 'print the version and exit');

program
  .command('version')
  .description('print the version of MOCO and of the Node.js runtime that runs it')
  .action(() => {
    process.stdout.write(`${versionLine()}\n`);
  });

addRunFlags(program.command('run').description('run one task with a team of agents and print the answer').argument('<task>', 'the task, in words')).action(
  (task: string, flags: RunFlags) => runCommand(task, flags),
);

addRunFlags(program.command('chat').description('talk to a team of agents; /help lists the slash commands')).action((flags: RunFlags) =>
  chatCommand(flags),
);

addRunFlags(
  program
    .command('resume')
    .description('continue a run that was interrupted (crash, kill, closed terminal)')
    .argument('[id]', 'a session or run id; default: the most recent interrupted run'),
).action((id: string | undefined, flags: RunFlags) => resumeCommand(id, flags));

program
  .command('list-profiles')
  .description('list the profiles (teams of agents) found, with their agents')
  .option('-w, --working-dir <dir>', 'working directory whose .moco/profiles is searched')
  .option('--json', 'print JSON')
  .action((options: { workingDir?: string; json?: boolean }) => listProfilesCommand(options));

const sessions = program.command('sessions').description('list and show stored sessions');
sessions
  .command('list')
  .description('list sessions, most recent first')
  .option('--json', 'print JSON')
  .action((options: { json?: boolean }) => sessionsListCommand(options));
sessions
  .command('show')
  .description('show the run trees of a session')
  .argument('<id>', 'session id')
  .option('--json', 'print JSON')
  .action((id: string, options: { json?: boolean }) => sessionsShowCommand(id, options));

registerCommitCommand(program);
registerReviewCommand(program);
registerPrCommand(program);

// A last net: whatever a command did not report itself ends as one line and exit status 1.
program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`moco: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
