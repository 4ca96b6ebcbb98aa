/**
 * The settings of the tools (issue 5) that the server asks the editor for before each run:
 * the sandbox, the command policy's rules, the web tools and VS Code's `rg`. The server asks
 * (`settings/get`) rather than being told, so that a restarted server and every run see the
 * settings as they are now, as `secrets/get` does for keys. The CLI builds the same shape from
 * its flags (`--sandbox`, `--sandbox-image`, `--policy`).
 */
import { RequestType } from 'vscode-jsonrpc';

/** `moco.sandbox.mode`. */
export type SandboxModeSetting = 'auto' | 'docker' | 'bubblewrap' | 'none';

/** A command policy rule's decision. */
export type PolicyDecisionSetting = 'allow' | 'ask' | 'deny';

/** The tool settings of one run. */
export interface ToolSettings {
  sandbox: {
    /** `moco.sandbox.mode`; default `auto` (Docker, then bubblewrap on Linux, then none). */
    mode: SandboxModeSetting;
    /** `moco.sandbox.image`: the Docker image; `''` for the default. */
    image: string;
    /** `moco.sandbox.network`: commands may use the network. Default false. */
    network: boolean;
    /** `moco.sandbox.cpus`. Default 1. */
    cpus: number;
    /** `moco.sandbox.memoryMb`, in MB. Default 512. */
    memoryMb: number;
    /** `moco.sandbox.timeoutSeconds`: a command's timeout, in s. Default 120. */
    timeoutSeconds: number;
  };
  /** `moco.policy.rules`: command prefix with globs → decision, for example `{"git log*": "allow"}`. */
  policyRules: Record<string, PolicyDecisionSetting>;
  web: {
    /** `moco.web.allowPrivateAddresses`: webfetch may reach loopback and private addresses. Default false. */
    allowPrivateAddresses: boolean;
    /** `moco.web.searchUrl`: a SearXNG-compatible JSON search endpoint; `''` = no websearch tool. */
    searchUrl: string;
  };
  git: {
    /** `moco.git.commitLanguage`: the language of commit messages and pull requests; `''` = the recent commits'. */
    commitLanguage: string;
    /** `moco.github.apiUrl`: the GitHub REST API; `''` = `https://api.github.com`. */
    githubApiUrl: string;
  };
  /** Absolute path of the `rg` that VS Code ships (under `vscode.env.appRoot`), when found. */
  ripgrepPath?: string;
}

/** The defaults of {@link ToolSettings} (the settings' defaults in package.json). */
export const DEFAULT_TOOL_SETTINGS: ToolSettings = {
  sandbox: { mode: 'auto', image: '', network: false, cpus: 1, memoryMb: 512, timeoutSeconds: 120 },
  policyRules: {},
  web: { allowPrivateAddresses: false, searchUrl: '' },
  git: { commitLanguage: '', githubApiUrl: '' },
};

/**
 * `settings/get` (server → client request): the tool settings now. A client without a handler
 * (the CLI) answers `MethodNotFound`, and the server uses its own settings.
 */
export const SettingsGetRequest = new RequestType<Record<string, never>, ToolSettings, void>('settings/get');
