/**
 * The built-in deny list: commands that destroy what cannot be restored (the file system, the
 * home folder, the workspace, disks, shared git history) or take the machine down. Each rule
 * understands flag spellings (`-rf`, `-fr`, `-r -f`, `--recursive --force`) and paths (`/`,
 * `/*`, `~`, `$HOME`, `..` climbing to them), not only text.
 */
import { forcePushesProtected, parseGit } from './git';
import { argText, parseArgs, type OptionSpec } from './options';
import { isDevice, resolvePaths, targetRisk, type Critical } from './paths';
import { DOWNLOADERS, readsScriptFromStdin, runsCode } from './runners';
import type { SimpleCommand } from './simpleCommand';
import type { BuiltinRule } from './types';
import type { Word } from './words';

function deny(pattern: string, reason: string, test: (command: SimpleCommand) => boolean, names?: readonly string[]): BuiltinRule {
  return names ? { pattern, decision: 'deny', source: 'builtin', reason, names, test } : { pattern, decision: 'deny', source: 'builtin', reason, test };
}

const args = (command: SimpleCommand): Word[] => command.words.slice(1);

/** GNU rm's long options (coreutils 9), for getopt_long's abbreviations (`--rec`). */
const RM_LONG = ['force', 'interactive', 'one-file-system', 'no-preserve-root', 'preserve-root', 'recursive', 'dir', 'verbose', 'help', 'version'];

/** rm's options: `-r`, `-R`, `--recursive` (or an abbreviation) in any cluster or order; `--no-preserve-root`. */
export function rmOptions(command: SimpleCommand): { recursive: boolean; noPreserveRoot: boolean; targets: Word[] } {
  const { flags, operands } = parseArgs(args(command), { knownLong: RM_LONG });
  return { recursive: flags.has('r') || flags.has('R') || flags.has('--recursive'), noPreserveRoot: flags.has('--no-preserve-root'), targets: operands };
}

/** The critical places a recursive rm certainly reaches (every target spelling, every possible working directory). */
export const RM_KINDS: readonly Critical[] = ['root', 'system', 'home', 'workspace'];

function rmCertainly(kinds: readonly Critical[]): (command: SimpleCommand) => boolean {
  return (command) => {
    const rm = rmOptions(command);
    if (!rm.recursive) return false;
    if (rm.noPreserveRoot && kinds.includes('root')) return true;
    const { certain } = targetRisk(rm.targets, command, RM_KINDS);
    return kinds.some((kind) => certain.has(kind));
  };
}

const certainly = (risk: { certain: Set<Critical> }): boolean => risk.certain.size > 0;

/** `find <start> ... -delete` with no test narrowing it: deletes everything under the start. */
function findDeletesAll(command: SimpleCommand): boolean {
  const words = args(command).map(argText);
  if (!words.includes('-delete')) return false;
  // Tests that narrow what is deleted; `-mindepth 1` and `-name '*'` narrow nothing that matters.
  const tests = /^-(i?name|i?path|i?wholename|i?regex|inum|samefile|newer.*|empty|links|i?lname|user|group|uid|gid|size|[mca](time|min)|perm)$/;
  const everything = /^\*+$/;
  if (words.some((word, i) => tests.test(word) && !(/^-i?(name|path|wholename)$/.test(word) && everything.test(words[i + 1] ?? '')))) return false;
  const starts: Word[] = [];
  for (const word of args(command)) {
    if (/^[-(!]/.test(argText(word))) break;
    starts.push(word);
  }
  return certainly(targetRisk(starts.length > 0 ? starts : [{ text: '.', value: '.', glob: false }], command, RM_KINDS));
}

const MKFS = ['mke2fs', 'mkswap', 'wipefs', 'blkdiscard', 'mkdosfs', 'mkntfs'];

/** Writes with the device as an argument: `cp img /dev/sda`, `tee /dev/sda`, `shred /dev/sda`, `truncate -s0 /dev/sda`. */
const WRITES_TO_ARGUMENTS = ['cp', 'mv', 'install', 'tee', 'shred', 'truncate', 'rsync', 'pv', 'ddrescue', 'badblocks', 'dcfldd', 'cat'];

function deviceArgument(command: SimpleCommand): boolean {
  const operands = command.name === 'cat' ? [] : args(command);
  return operands.some((word) => word.value !== undefined && resolvePaths(word.value, command.cwds).some((p) => p !== undefined && isDevice(p)));
}

function redirectsToDevice(command: SimpleCommand): boolean {
  return command.redirects.some((redirect) => {
    if (!redirect.operator.includes('>') || redirect.target?.value === undefined) return false;
    return resolvePaths(redirect.target.value, command.cwds).some((p) => p !== undefined && isDevice(p));
  });
}

function ddToDevice(command: SimpleCommand): boolean {
  return args(command).some((word) => {
    const value = word.value ?? '';
    return value.startsWith('of=') && isDevice(value.slice(3));
  });
}

/** A function that runs itself in a pipeline or in the background: `:(){ :|:& };:` and renamed ones. */
function forkBomb(command: SimpleCommand): boolean {
  return command.inFunction !== undefined && command.name !== '' && command.words[0]?.value === command.inFunction && (command.inPipeline || command.background);
}

/** A shell or interpreter running code fetched from the network: `curl x | sh`, `bash <(curl x)`, `sh -c "$(curl x)"`. */
function downloadToShell(command: SimpleCommand): boolean {
  if (!runsCode(command.name)) return false;
  if (command.substituted.some((name) => DOWNLOADERS.has(name))) return true;
  if (!command.inPipeline || !command.upstream.some((name) => DOWNLOADERS.has(name))) return false;
  // `curl x | xargs bash -c`: the download becomes the script argument.
  return readsScriptFromStdin(command.name, command.words) || command.openArgs;
}

function permissionsOfSystem(command: SimpleCommand): boolean {
  const { flags, operands } = parseArgs(args(command), { long: ['reference', 'from'] });
  const recursive = flags.has('R') || flags.has('--recursive');
  const targets = operands.slice(flags.has('--reference') ? 0 : 1);
  return certainly(targetRisk(targets, command, recursive ? ['root', 'system', 'home'] : ['root', 'system']));
}

function shutsDown(command: SimpleCommand): boolean {
  if (['shutdown', 'reboot', 'halt', 'poweroff'].includes(command.name)) return true;
  const first = argText(command.words[1]);
  if (command.name === 'init' || command.name === 'telinit') return first === '0' || first === '6';
  return command.name === 'systemctl' && args(command).some((word) => ['poweroff', 'reboot', 'halt', 'kexec', 'soft-reboot'].includes(argText(word)));
}

/** `kill -9 -1`, `kill -KILL -1`, `kill -s 9 -1`, `kill -- -1`, `kill 1`: every process, or init. */
function killsEverything(command: SimpleCommand): boolean {
  const words = args(command).map(argText);
  let i = 0;
  if (words[0] === '-s' || words[0] === '-n') i = 2;
  else if (words[0] === '--') i = 1;
  else if (words[0]?.startsWith('-')) i = 1;
  if (words[i] === '--') i += 1;
  return words.slice(i).some((word) => word === '-1' || word === '1');
}

function movesCritical(command: SimpleCommand): boolean {
  const spec: OptionSpec = { short: 'tS', long: ['target-directory', 'suffix', 'backup'] };
  const { values, operands } = parseArgs(args(command), spec);
  const sources = values.has('t') || values.has('target-directory') ? operands : operands.slice(0, -1);
  return certainly(targetRisk(sources, command, RM_KINDS));
}

/** The deny rules, checked before every other rule. */
export const DENY_RULES: readonly BuiltinRule[] = [
  deny('rm -rf /', 'recursively deletes the root file system or a top-level system folder', rmCertainly(['root', 'system']), ['rm']),
  deny('rm -rf ~', 'recursively deletes your home folder', rmCertainly(['home']), ['rm']),
  deny('rm -rf <workspace>', 'recursively deletes the whole workspace', rmCertainly(['workspace']), ['rm']),
  deny('find / -delete', 'deletes everything under /, your home folder or the workspace', findDeletesAll, ['find']),
  deny('mkfs*', 'formats or wipes a disk', (command) => command.name.startsWith('mkfs') || command.name.startsWith('newfs') || MKFS.includes(command.name)),
  deny('dd of=/dev/*', 'writes raw data over a disk device', ddToDevice, ['dd']),
  deny('> /dev/sd*', 'writes over a disk device', redirectsToDevice),
  deny('shred|truncate|tee|cp /dev/sd*', 'overwrites a disk device', deviceArgument, WRITES_TO_ARGUMENTS),
  deny(':(){ :|:& };:', 'a fork bomb: a function that starts copies of itself until the machine stops', forkBomb),
  deny('curl … | sh', 'runs code downloaded from the network without anyone reading it', downloadToShell),
  deny('chmod -R 777 /', 'changes the permissions or owner of the whole system or your home folder', permissionsOfSystem, ['chmod', 'chown', 'chgrp']),
  deny('git push --force main', 'force-pushes or deletes a protected branch (main, master, develop, release*, production), rewriting shared history', (command) => {
    const git = parseGit(command.words);
    return git.subcommand === 'push' && forcePushesProtected(git.args);
  }, ['git']),
  deny('shutdown|reboot|halt|poweroff', 'shuts down or restarts the machine', shutsDown, ['shutdown', 'reboot', 'halt', 'poweroff', 'init', 'telinit', 'systemctl']),
  deny('kill -9 -1', 'kills every process you own (or init)', killsEverything, ['kill']),
  deny('mv / …', 'moves the root file system, a system folder, your home folder or the workspace away', movesCritical, ['mv']),
  deny('crontab -r', 'deletes all your cron jobs, without asking', (command) => args(command).some((word) => /^-[a-z]*r/.test(argText(word))), ['crontab']),
];
