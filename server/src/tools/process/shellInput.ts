/**
 * Whether a background process is a shell that reads its commands from stdin (`bash`, `sh -s`,
 * `cat | sh`...), or an interpreter or tool that can run code or commands typed into it (`python3
 * -i`, `node`, `sqlite3` with `.shell`, `ed` with `!`...). What `send_input` writes to such a
 * process goes through the command policy as on `execute_bash`; otherwise an allowed program would
 * be a way around the policy. The check errs towards yes: a false yes only sends harmless input
 * through the policy (which asks about what it cannot read).
 */

/** Programs that run the commands they read from stdin when given no script and no `-c`. */
const SHELLS = new Set(['sh', 'bash', 'dash', 'zsh', 'ksh', 'mksh', 'ash', 'yash', 'fish', 'csh', 'tcsh']);

/** Programs that run what is typed into them, whatever their arguments (their REPL, `-i`, a `!` escape). */
const INTERPRETERS = new Set([
  'python', 'python2', 'python3', 'ipython', 'node', 'nodejs', 'deno', 'bun', 'ruby', 'irb', 'perl', 'php', 'lua', 'luajit', 'R', 'Rscript',
  'julia', 'ghci', 'scala', 'tclsh', 'wish', 'guile', 'racket', 'sbcl', 'clojure', 'erl', 'iex', 'sqlite3', 'psql', 'mysql', 'mariadb',
  'redis-cli', 'mongo', 'mongosh', 'ed', 'ex', 'vi', 'vim', 'nvim', 'emacs', 'nano', 'less', 'more', 'man', 'script', 'expect', 'gdb', 'lldb',
  'ftp', 'sftp', 'ssh', 'telnet', 'nc', 'ncat', 'socat', 'env', 'sudo', 'su', 'xargs', 'busybox',
]);

/** Words are split at blanks and at the shell's operators, so each command of a pipeline or list is seen. */
const WORD_BREAK = /[\s|;&()`<>]+|\$\(/;

/**
 * True when some shell in `command` takes its commands from stdin: a shell word followed (up to
 * the next operator) by options only, none of them `-c`, or by `-s`.
 * @param command the command line the process was started with.
 */
export function readsCommandsFromStdin(command: string): boolean {
  const segments = command.split(/[|;&()`]|\$\(/);
  return segments.some((segment) => segmentReadsStdin(segment.split(WORD_BREAK).filter((word) => word !== '')));
}

function segmentReadsStdin(words: string[]): boolean {
  return words.some((word, index) => {
    const name = unquote(word).split('/').at(-1) ?? '';
    return INTERPRETERS.has(name) || /^python\d/.test(name) || (SHELLS.has(name) && shellReadsStdin(words.slice(index + 1)));
  });
}

/** Given the words after a shell's name: no `-c`, and `-s` or no script operand. */
function shellReadsStdin(args: string[]): boolean {
  let hasOperand = false;
  let hasS = false;
  for (let index = 0; index < args.length; index++) {
    const word = unquote(args[index] ?? '');
    if (/^[-+][oO]$/.test(word) || word === '--rcfile' || word === '--init-file') {
      index++; // `-o pipefail`, `--rcfile x`: the option's argument is no operand
    } else if (/^-[A-Za-z]*c/.test(word)) {
      return false;
    } else if (/^-[A-Za-z]*s/.test(word)) {
      hasS = true;
    } else if (!/^[-+]/.test(word)) {
      hasOperand = true;
    }
  }
  return hasS || !hasOperand;
}

function unquote(word: string): string {
  return word.replace(/^['"]|['"]$/g, '');
}
