/**
 * The environment every git MOCO runs gets: an allow-list of this process's variables, not the
 * whole of it. The server's environment holds provider API keys (`OPENAI_API_KEY`,
 * `OPENROUTER_API_KEY`...) and tokens, and git hands its environment to every program it starts:
 * hooks (a commit's `pre-commit`, a push's `pre-push`, which run by design), credential helpers,
 * `ssh`. Those get what git and they need to work, and nothing else.
 */

/**
 * Variables passed on when set, upper-cased (Windows names are matched whatever their case;
 * `http_proxy` is commonly lower-case). Why each:
 * - the user and locale: `PATH` (git, hooks' tools such as node for husky), `HOME` (the global
 *   config, `~/.ssh`), `USER`, `LOGNAME`, `LANG`, `LANGUAGE`, `LC_*` (below), `TZ`, `TMPDIR`;
 * - the XDG folders: git's own `$XDG_CONFIG_HOME/git/config`, and hook managers' (husky,
 *   pre-commit) config and caches; `XDG_RUNTIME_DIR` for agents' sockets;
 * - SSH and GPG agents, for a push over SSH and signed commits: `SSH_AUTH_SOCK`,
 *   `SSH_AGENT_PID`, `GNUPGHOME`, `GPG_TTY`, `GPG_AGENT_INFO`;
 * - credential helpers that use the desktop's keyring: `DISPLAY`, `WAYLAND_DISPLAY`,
 *   `DBUS_SESSION_BUS_ADDRESS`;
 * - the network of a push or fetch: the proxies curl reads, and `SSL_CERT_FILE`/`SSL_CERT_DIR`
 *   for a company's certificate authority;
 * - Windows, which Git for Windows and its credential manager need: `SYSTEMROOT`, `WINDIR`,
 *   `COMSPEC`, `PATHEXT`, `SYSTEMDRIVE`, `USERPROFILE`, `HOMEDRIVE`, `HOMEPATH`, `APPDATA`,
 *   `LOCALAPPDATA`, `PROGRAMDATA`, `PROGRAMFILES`, `PROGRAMFILES(X86)`, `COMMONPROGRAMFILES`,
 *   `TEMP`, `TMP`, `USERNAME`, `USERDOMAIN`.
 * Left out on purpose: every `GIT_*` (git's own switches: `GIT_DIR`, `GIT_CONFIG_*`,
 * `GIT_SSH_COMMAND`, `GIT_ASKPASS`... — only those MOCO sets itself, see {@link gitEnvironment}),
 * `SSH_ASKPASS`, editors and pagers (simple-git refuses them too: MOCO's git never prompts; a
 * push authenticates with a credential helper or the SSH agent), and everything else: API keys,
 * `GITHUB_TOKEN`/`GH_TOKEN`, the editor's own variables.
 */
const ALLOWED = new Set([
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'LANG',
  'LANGUAGE',
  'TZ',
  'TMPDIR',
  'XDG_CONFIG_HOME',
  'XDG_CACHE_HOME',
  'XDG_DATA_HOME',
  'XDG_STATE_HOME',
  'XDG_RUNTIME_DIR',
  'SSH_AUTH_SOCK',
  'SSH_AGENT_PID',
  'GNUPGHOME',
  'GPG_TTY',
  'GPG_AGENT_INFO',
  'DISPLAY',
  'WAYLAND_DISPLAY',
  'DBUS_SESSION_BUS_ADDRESS',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'ALL_PROXY',
  'NO_PROXY',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'SYSTEMROOT',
  'WINDIR',
  'COMSPEC',
  'PATHEXT',
  'SYSTEMDRIVE',
  'USERPROFILE',
  'HOMEDRIVE',
  'HOMEPATH',
  'APPDATA',
  'LOCALAPPDATA',
  'PROGRAMDATA',
  'PROGRAMFILES',
  'PROGRAMFILES(X86)',
  'COMMONPROGRAMFILES',
  'TEMP',
  'TMP',
  'USERNAME',
  'USERDOMAIN',
]);

/** Whether the variable `name` is passed on to git (see {@link ALLOWED}; `LC_ALL`, `LC_CTYPE`... too). */
export function passedToGit(name: string): boolean {
  const upper = name.toUpperCase();
  return ALLOWED.has(upper) || /^LC_[A-Z]+$/.test(upper);
}

/**
 * The environment of git: the allowed variables of `source` (this process's by default), with
 * `GIT_OPTIONAL_LOCKS=0` so that reading (`git status`) never writes the index behind the user's
 * back, which could make their own `git add` fail on `index.lock` (git(1), GIT_OPTIONAL_LOCKS),
 * and `GIT_INDEX_FILE` when a call uses another index.
 */
export function gitEnvironment(indexFile: string | undefined, source: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(source)) if (value !== undefined && passedToGit(name)) env[name] = value;
  env.GIT_OPTIONAL_LOCKS = '0';
  if (indexFile) env.GIT_INDEX_FILE = indexFile;
  return env;
}
