/**
 * The built-in ask list: what the policy cannot check, or what is risky enough that the user
 * should see it even when a user rule allows the command (a built-in `ask` is not lowered by an
 * `allow`, as the strictest decision wins).
 */
import { parseGit } from './git';
import { argText, parseArgs } from './options';
import { containsPath, isDevice, isHarmlessDevice, isSecretPath, resolvePaths, targetRisk } from './paths';
import { RM_KINDS, rmOptions } from './builtinDeny';
import { isProtectedPath } from '../tools/protectedPaths';
import type { SimpleCommand } from './simpleCommand';
import type { BuiltinRule } from './types';

function ask(pattern: string, reason: string, test: (command: SimpleCommand) => boolean, names?: readonly string[]): BuiltinRule {
  return names ? { pattern, decision: 'ask', source: 'builtin', reason, names, test } : { pattern, decision: 'ask', source: 'builtin', reason, test };
}

/** Variables that make programs load or run other code. */
const CODE_VARIABLES = new Set([
  'PATH', 'BASH_ENV', 'ENV', 'PROMPT_COMMAND', 'IFS', 'SHELLOPTS', 'BASHOPTS', 'PS4', 'CDPATH', 'HOME', 'NODE_OPTIONS', 'PYTHONSTARTUP',
  'PYTHONPATH', 'PYTHONHOME', 'PERL5OPT', 'PERL5LIB', 'PERLLIB', 'RUBYOPT', 'RUBYLIB', 'JAVA_TOOL_OPTIONS', '_JAVA_OPTIONS', 'SSH_ASKPASS',
  'SUDO_ASKPASS', 'BROWSER', 'LESSOPEN', 'LESSCLOSE', 'GIT_SSH', 'GIT_SSH_COMMAND', 'GIT_EXTERNAL_DIFF', 'GIT_ASKPASS', 'GIT_PROXY_COMMAND',
  'GIT_EXEC_PATH', 'GIT_DIR', 'GIT_WORK_TREE', 'GIT_TEMPLATE_DIR', 'PAGER', 'MANPAGER', 'GIT_PAGER', 'EDITOR', 'VISUAL', 'GIT_EDITOR',
  'GIT_SEQUENCE_EDITOR',
]);
/** Program variables set to one of these run nothing unexpected (`GIT_PAGER=cat git log`). */
const HARMLESS_PROGRAMS = new Set(['', 'cat', 'true', 'false', ':', 'less', 'more', 'less -R', 'less -FRX']);
const PROGRAM_VARIABLES = new Set(['PAGER', 'MANPAGER', 'GIT_PAGER', 'EDITOR', 'VISUAL', 'GIT_EDITOR', 'GIT_SEQUENCE_EDITOR']);

function isCodeVariable(name: string): boolean {
  return CODE_VARIABLES.has(name) || /^(LD|DYLD)_/.test(name) || name.startsWith('GIT_CONFIG');
}

/** `NAME=value` prefixes and assignments, and `read NAME`, `printf -v NAME`, `getopts .. NAME`. */
function setsCodeVariable(command: SimpleCommand): boolean {
  const assigned = command.assignments.some((assignment) => {
    const at = assignment.indexOf('=');
    const name = (at === -1 ? assignment : assignment.slice(0, at)).replace(/\+$/, '');
    const value = assignment.slice(at + 1).replace(/^(['"])(.*)\1$/s, '$2');
    if (PROGRAM_VARIABLES.has(name) && HARMLESS_PROGRAMS.has(value)) return false;
    return isCodeVariable(name);
  });
  if (assigned) return true;
  const args = command.words.slice(1);
  if (command.name === 'read' || command.name === 'getopts') return parseArgs(args, { short: 'adinpt', long: [] }).operands.some((word) => isCodeVariable(argText(word)));
  if (command.name === 'printf') return isCodeVariable(parseArgs(args, { short: 'v', permute: false }).values.get('v') ?? '');
  return false;
}

/**
 * Arguments (and `--opt=path` values) and redirect targets that are credentials: the user's and the
 * system's, the workspace's `.env` files (provider keys), and any process's `environ` even when the
 * pid is unknown (`/proc/$PPID/environ`).
 */
function touchesSecrets(command: SimpleCommand): boolean {
  const words = [...command.words.slice(1), ...command.redirects.flatMap((redirect) => (redirect.target ? [redirect.target] : []))];
  return words.some((word) => {
    if (/\/proc\/[^/\s]*\/environ\b/.test(word.text)) return true;
    const value = word.value;
    if (value === undefined) return false;
    const candidates = value.includes('=') ? [value, value.slice(value.indexOf('=') + 1)] : [value];
    return candidates.some((candidate) =>
      resolvePaths(candidate, command.cwds).some((p) => p !== undefined && (isSecretPath(p, command.home) || isWorkspaceEnvFile(p, command.workspaceRoot))),
    );
  });
}

/** `<workspace>/.env` or `<workspace>/.env.*`: where MOCO reads provider keys from. */
function isWorkspaceEnvFile(resolved: string, workspaceRoot: string): boolean {
  return containsPath(workspaceRoot, resolved) && /^\.env(\..*)?$/.test(resolved.slice(workspaceRoot.length).replace(/^\//, ''));
}

/** Programs whose arguments name files they write: their protected targets ask (see protectedPaths.ts). */
const WRITERS = new Set(['cp', 'mv', 'tee', 'ln', 'install', 'rsync', 'touch', 'truncate', 'sed', 'perl', 'chmod', 'chown', 'rm', 'unlink', 'mkdir', 'rmdir', 'dd', 'tar', 'unzip', 'patch']);

/**
 * An output redirect to a file outside the workspace and /tmp, to an unknown path, or to a file
 * that configures MOCO or git (`.mcp.json`, `.vscode/`, `.moco/`, `.env`, `.git/`: an agent could
 * loosen its own limits there); and a writing program's argument naming such a file.
 */
function writesOutsideWorkspace(command: SimpleCommand): boolean {
  const redirected = command.redirects.some((redirect) => {
    if (!redirect.operator.includes('>') || redirect.target === undefined) return false;
    if (redirect.target.value === undefined) return true;
    return resolvePaths(redirect.target.value, command.cwds).some((p) => {
      if (p === undefined) return true;
      if (isDevice(p) || isHarmlessDevice(p) || containsPath('/tmp', p) || containsPath('/var/tmp', p)) return false;
      if (!containsPath(command.workspaceRoot, p)) return true;
      return isProtectedPath(command.workspaceRoot, p);
    });
  });
  if (redirected || !WRITERS.has(command.name)) return redirected;
  return command.words.slice(1).some((word) => {
    const value = word.value?.replace(/^(of|--target-directory)=/, '');
    return value !== undefined && resolvePaths(value, command.cwds).some((p) => p !== undefined && containsPath(command.workspaceRoot, p) && isProtectedPath(command.workspaceRoot, p));
  });
}

function rmUncertain(command: SimpleCommand): boolean {
  const rm = rmOptions(command);
  if (!rm.recursive) return false;
  return command.openArgs || targetRisk(rm.targets, command, RM_KINDS).possible;
}

/** The ask rules, checked with the deny rules before any allow. */
export const ASK_RULES: readonly BuiltinRule[] = [
  ask('$CMD …', 'the command name comes from a variable, a substitution or a glob, so what runs cannot be checked', (command) => command.dynamicName),
  ask('bash -c "$SCRIPT"', 'it runs a script that is not written out in the command (a variable or a substitution), so it cannot be checked', (command) => command.runs === 'unknown'),
  ask('… | sh', 'a shell or interpreter runs a program from a pipe or a file, which cannot be checked here', (command) => command.stdinScript === 'unknown'),
  ask('sudo …', 'it runs a command as another user (usually root)', () => true, ['sudo', 'doas', 'su', 'pkexec', 'runuser', 'run0']),
  ask('rm -r $TARGET', 'it recursively deletes a path that may be /, your home folder or the workspace (a variable, xargs input or a `cd` decides)', rmUncertain, ['rm']),
  ask('LD_PRELOAD=… cmd', 'it sets a variable that makes programs load or run other code (PATH, LD_PRELOAD, NODE_OPTIONS, GIT_SSH_COMMAND, PAGER...)', setsCodeVariable),
  ask('cat ~/.ssh/*', 'it reads or touches credentials (~/.ssh, ~/.aws, ~/.gnupg, ~/.netrc, /etc/shadow, a process environment...)', touchesSecrets),
  ask(
    '> /outside/workspace',
    'it writes a file outside the workspace and /tmp, a file that configures MOCO or git (.mcp.json, .vscode/, .moco/, .env, .git/), or a path that cannot be known',
    writesOutsideWorkspace,
  ),
  ask('git clean -f*', 'it deletes untracked files that git cannot restore (with -x also ignored ones such as .env files and builds)', (command) => {
    const git = parseGit(command.words);
    const flags = parseArgs(git.args).flags;
    return git.subcommand === 'clean' && (flags.has('f') || flags.has('--force'));
  }, ['git']),
  ask('git reset --hard*', 'it throws away uncommitted changes', (command) => {
    const git = parseGit(command.words);
    return git.subcommand === 'reset' && git.args.some((word) => argText(word) === '--hard');
  }, ['git']),
];
