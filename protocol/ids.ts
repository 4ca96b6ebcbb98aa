/**
 * Every command, view, view container, setting and context key id that `package.json`
 * contributes. Code uses these constants, never the strings; `test/unit/manifest.test.ts` checks
 * that this file and `package.json` agree (CONVENTIONS.md §7).
 */
export const CommandIds = {
  showServerStatus: 'moco.showServerStatus',
  showLogs: 'moco.showLogs',
  restartServer: 'moco.restartServer',
  /** Starts a new chat session in the Chat view. */
  newChat: 'moco.newChat',
  /** Asks for a task in an input box and sends it to the Chat view's session. */
  runTask: 'moco.runTask',
  /** Asks for a task and runs it as a background task (Tasks view), without the chat. */
  runTaskInBackground: 'moco.runTaskInBackground',
  /** Cancels a run: the tree item it is invoked on, else the Chat view's running run. */
  cancelRun: 'moco.cancelRun',
  /** Resumes an interrupted run tree (chat banner, Agents and Tasks views). */
  resumeRun: 'moco.resumeRun',
  selectProfile: 'moco.selectProfile',
  selectProviderAndModel: 'moco.selectProviderAndModel',
  /** Asks for a provider's API key and keeps it in SecretStorage. */
  setApiKey: 'moco.setApiKey',
  /** Lists the stored sessions in a quick pick and opens one in the Chat view. */
  openSession: 'moco.openSession',
  /** Opens a run's transcript (a read-only editor); argument: a run id or a tree item. */
  openTranscript: 'moco.openTranscript',
  /** Opens a background task's log file. */
  showTaskLog: 'moco.showTaskLog',
  /** Refreshes the Agents view's profile agents. */
  refreshAgents: 'moco.refreshAgents',
  /** Restarts an MCP server (lifting a quarantine); argument: a tree item or a server name. */
  restartMcpServer: 'moco.restartMcpServer',
  /** Opens the command policy's audit log of the current session. */
  showAuditLog: 'moco.showAuditLog',
  /** Writes a commit message into a repository's SCM input box (Source Control title button). */
  generateCommitMessage: 'moco.generateCommitMessage',
  /** Pushes the branch and opens a GitHub pull request with a written title and body. */
  createPullRequest: 'moco.createPullRequest',
  /** Reviews the active editor's file; findings become comment threads and problems. */
  reviewFile: 'moco.reviewFile',
  /** Reviews the active editor's selection. */
  reviewSelection: 'moco.reviewSelection',
  /** Reviews the repository's changes (git diff); comments only on changed lines. */
  reviewChanges: 'moco.reviewChanges',
  /** Applies a finding's suggested replacement (comment thread, code action); argument: a thread or finding id. */
  applySuggestion: 'moco.review.applySuggestion',
  /** Starts an agent run that fixes one finding; argument: a thread or finding id. */
  fixWithAgent: 'moco.review.fixWithAgent',
  /** Removes a finding (thread and problem); argument: a thread or finding id. */
  dismissFinding: 'moco.review.dismiss',
  /** Starts one fix sub-agent per open finding, in parallel (bounded by `max_parallel_tasks`). */
  fixAllFindings: 'moco.review.fixAll',
  /** Removes every finding of the workspace. */
  clearFindings: 'moco.review.clearAll',
} as const;

export type CommandId = (typeof CommandIds)[keyof typeof CommandIds];

export const ViewContainerIds = {
  moco: 'moco',
} as const;

export const ViewIds = {
  chat: 'moco.chat',
  agents: 'moco.agents',
  tasks: 'moco.tasks',
} as const;

/** Settings (`contributes.configuration`), named `moco.<area>.<name>`. */
export const SettingIds = {
  /** LSP's standard trace setting for the client–server traffic (`off` | `messages` | `verbose`). */
  traceServer: 'moco.trace.server',
  /** Show the model's thinking in the chat (MOCO's `thinking_show`); default true. */
  chatShowThinking: 'moco.chat.showThinking',
  /** Provider id: `auto` (MOCO's selection from the configured keys) or one of `ProviderIds`. */
  providerId: 'moco.provider.id',
  /** Model name on the provider; empty for the provider's default. */
  providerModel: 'moco.provider.model',
  /** Base URL of an OpenAI-compatible endpoint; empty for the provider's default. */
  providerBaseUrl: 'moco.provider.baseUrl',
  /** Profile name; empty for `MOCO_PROFILE`, then `default`. */
  profileName: 'moco.profile.name',
  /** Sandbox driver: `auto` | `docker` | `bubblewrap` | `none`. */
  sandboxMode: 'moco.sandbox.mode',
  /** Docker image of the sandbox; empty for the default. */
  sandboxImage: 'moco.sandbox.image',
  /** Whether sandboxed commands may use the network; default false. */
  sandboxNetwork: 'moco.sandbox.network',
  /** CPUs of the sandbox (Docker); default 1. */
  sandboxCpus: 'moco.sandbox.cpus',
  /** Memory limit of the sandbox in MB (Docker); default 512. */
  sandboxMemoryMb: 'moco.sandbox.memoryMb',
  /** A command's timeout in seconds; default 120. */
  sandboxTimeoutSeconds: 'moco.sandbox.timeoutSeconds',
  /** Command policy rules: prefix with globs → allow | ask | deny. */
  policyRules: 'moco.policy.rules',
  /** Whether webfetch may reach private and loopback addresses; default false. */
  webAllowPrivateAddresses: 'moco.web.allowPrivateAddresses',
  /** SearXNG-compatible search endpoint; empty = no websearch tool. */
  webSearchUrl: 'moco.web.searchUrl',
  /** Language of generated commit messages and pull requests (for example `English`, `Deutsch`); empty = the recent commits' language. */
  gitCommitLanguage: 'moco.git.commitLanguage',
  /** GitHub REST API base URL; empty = `https://api.github.com` (GitHub Enterprise Server: `https://HOST/api/v3`). */
  githubApiUrl: 'moco.github.apiUrl',
  /** Whether `MOCO: Create Pull Request` opens drafts by default. */
  githubDraftPullRequests: 'moco.github.draftPullRequests',
  /** The profile agent that reviews code; empty = `code-reviewer`, then `security-reviewer`. */
  reviewAgent: 'moco.review.agent',
} as const;

/**
 * The providers a user can choose in the editor: those of the server's `providers/config.ts`, and
 * `vscode-lm`, the language models of VS Code (`vscode.lm`), which the client proxies.
 */
export const ProviderIds = ['zai', 'openrouter', 'gemini', 'openai', 'ollama', 'lmstudio', 'custom', 'vscode-lm'] as const;
export type EditorProviderId = (typeof ProviderIds)[number];

/** Status bar items (`window.createStatusBarItem` ids). */
export const StatusBarItemIds = {
  server: 'moco.server',
} as const;

/** Context keys set with `setContext`, used in `when` and `enablement` clauses. */
export const ContextKeys = {
  /** `starting` | `ready` | `restarting` | `stopped` | `failed`: see `ConnectionState`. */
  serverState: 'moco.serverState',
  /** True while a run of the Chat view's session is active (Stop, `MOCO: Cancel Run`). */
  chatRunning: 'moco.chatRunning',
} as const;

/** `contextValue`s of tree items, used in `view/item/context` menus. */
export const TreeItemContexts = {
  /** A node of the run tree that still runs (cancellable). */
  runActive: 'moco.run.active',
  /** A node of the run tree that has ended. */
  runEnded: 'moco.run.ended',
  /** An interrupted root (resumable). */
  runInterrupted: 'moco.run.interrupted',
  /** An agent of the current profile. */
  agent: 'moco.agent',
  /** A background task that runs. */
  taskActive: 'moco.task.active',
  /** A background task that has ended. */
  taskEnded: 'moco.task.ended',
  /** An interrupted background task. */
  taskInterrupted: 'moco.task.interrupted',
  /** An MCP server in the Agents view (restartable). */
  mcpServer: 'moco.mcpServer',
} as const;

/** `contextValue`s of review comment threads, used in `comments/commentThread/*` menus. */
export const CommentThreadContexts = {
  /** A finding with a suggested replacement (Apply Suggestion shown). */
  findingWithSuggestion: 'moco.finding.suggestion',
  /** A finding without one. */
  finding: 'moco.finding',
} as const;

/** The review comment controller's id (`vscode.comments.createCommentController`; `commentController` in menus' `when` clauses). */
export const ReviewCommentControllerId = 'moco.review';

/** The chat participant of VS Code's own chat (`@moco`). */
export const ChatParticipantId = 'moco.orchestrator';

/** URI scheme of the read-only run transcripts (`moco-transcript:/<sessionId>/<runId>.md`). */
export const TranscriptScheme = 'moco-transcript';

/** URI scheme of the read-only command audit log (`moco-audit:/<sessionId>.md`, `moco-audit:/all.md`). */
export const AuditScheme = 'moco-audit';

/** The language client's id: names the output channel's trace setting prefix (`moco.trace.server`). */
export const LanguageClientId = 'moco';
/** The output channel, a `LogOutputChannel`. */
export const OutputChannelName = 'MOCO';
