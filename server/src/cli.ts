#!/usr/bin/env node
/**
 * Entry of the `moco` command-line tool (`dist/cli.js`). It only wires commands; each command's
 * logic lives in its own module.
 */
import { Command } from 'commander';
import { versionLine } from './cli/version';
import { mocoVersion } from './version';

const program = new Command('moco')
  .description('MOCO: a team of AI agents, headless.')
  .version(mocoVersion, '-V, --version', 'print the version and exit');

program
  .command('version')
  .description('print the version of MOCO and of the Node.js runtime that runs it')
  .action(() => {
    process.stdout.write(`${versionLine()}\n`);
  });

program.parse(process.argv);
