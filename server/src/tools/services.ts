/**
 * What the tools of issue 5 reach beyond the file system, given to each call through
 * `ToolContext.services`. The engine builds one set per session (sandbox, processes) and one gate
 * per agent run (the command policy, approvals, the audit log). A tool whose service is absent
 * answers the model that it is unavailable here, and why.
 */
import type { Sandbox } from '../sandbox/types';
import type { ProcessTable } from './process/processTable';

/** The outcome of {@link CommandGate.authorize}. */
export type CommandAuthorization =
  | { ok: true }
  | {
      ok: false;
      /** For the model: what was refused, by which rule, and what to do instead. */
      message: string;
      /** One line for the user, for example `denied by rule "rm -rf /*" (builtin)`. */
      summary: string;
    };

/** What {@link CommandGate.authorize} judges. */
export interface CommandRequest {
  /** The command line as the model wrote it. */
  command: string;
  /** The tool asking (`execute_bash`, `start_background`...), for the audit log. */
  tool: string;
  /** Absolute directory the command starts in (`working_dir`); default the workspace root. */
  cwd?: string;
}

/**
 * The command policy in front of every shell command: parse, match the rules, ask the user when a
 * rule says `ask` (or no rule matches in the editor), and write the decision to the audit log.
 * No argument of a tool call can lower it.
 */
export interface CommandGate {
  /** @throws the signal's reason when the run is cancelled while the user is asked. */
  authorize(request: CommandRequest, signal: AbortSignal): Promise<CommandAuthorization>;
}

/** Location of a symbol, 1-based lines and columns, for the model. */
export interface SymbolLocation {
  /** Path relative to the working directory (`/` separators), or absolute when outside it. */
  path: string;
  line: number;
  column: number;
  endLine: number;
  /** The text of the first line, trimmed (up to 200 characters). */
  preview: string;
}

/** The question `find_definition` / `find_references` ask. */
export interface SymbolQuery {
  /** The identifier, for example `parseArguments`. */
  symbol: string;
  /** Absolute path of a file where the symbol appears; with `line`, pins the occurrence. */
  file?: string;
  /** 1-based line of that occurrence in `file`. */
  line?: number;
}

/** Answers symbol questions: VS Code's providers (editor) or a tree-sitter search (CLI). */
export interface SymbolService {
  /** Where it comes from, said to the model: "VS Code's language servers" or "tree-sitter symbol search". */
  readonly source: string;
  definitions(query: SymbolQuery, signal: AbortSignal): Promise<SymbolLocation[]>;
  references(query: SymbolQuery, signal: AbortSignal): Promise<SymbolLocation[]>;
}

/** The web tools' settings (`moco.web.*`). */
export interface WebOptions {
  /** Let webfetch reach private, loopback and link-local addresses. Default false. */
  allowPrivateAddresses: boolean;
  /** Bytes of a response webfetch reads before it stops. Default 5 MiB. */
  maxResponseBytes: number;
  /** A search endpoint; websearch is offered to the model only when it is set. */
  search?: { url: string; apiKey?: string };
}

/**
 * GitHub for `create_pr`: the token (the editor's GitHub sign-in, or `GITHUB_TOKEN`), asked when a
 * call needs it and never kept, and the REST API to use.
 */
export interface GitHubService {
  /** The token, or undefined when there is none (the user declined to sign in, no `GITHUB_TOKEN`). */
  token(): Promise<string | undefined>;
  /** `moco.github.apiUrl` / `GITHUB_API_URL`; '' for https://api.github.com. */
  apiUrl: string;
}

/** One session's services. Every field is optional: the tools say what is missing. */
export interface ToolServices {
  /** The session's sandbox, created on first use (a Docker container starts here). @throws {SandboxError}. */
  sandbox?: () => Promise<Sandbox>;
  /** The policy gate of the agent run making the call. */
  commandGate?: CommandGate;
  /** Background processes of the session (start_background ... get_output). */
  processes?: ProcessTable;
  /** find_definition / find_references. */
  symbols?: SymbolService;
  /** `rg` to run: VS Code's (under `vscode.env.appRoot`) in the editor, else the system's; absent → the JS search. */
  ripgrepPath?: string;
  web?: WebOptions;
  /** `create_pr`'s GitHub access. */
  github?: GitHubService;
}
