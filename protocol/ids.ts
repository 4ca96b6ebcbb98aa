/**
 * Every command, view, view container, setting and context key id that `package.json`
 * contributes. Code uses these constants, never the strings; `test/unit/manifest.test.ts` checks
 * that this file and `package.json` agree (CONVENTIONS.md §7).
 */
export const CommandIds = {
  showServerStatus: 'moco.showServerStatus',
  showLogs: 'moco.showLogs',
  restartServer: 'moco.restartServer',
} as const;

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
} as const;

/** Status bar items (`window.createStatusBarItem` ids). */
export const StatusBarItemIds = {
  server: 'moco.server',
} as const;

/** Context keys set with `setContext`, used in `when` and `enablement` clauses. */
export const ContextKeys = {
  /** `starting` | `ready` | `restarting` | `stopped` | `failed`: see `ConnectionState`. */
  serverState: 'moco.serverState',
} as const;

/** The language client's id: names the output channel's trace setting prefix (`moco.trace.server`). */
export const LanguageClientId = 'moco';
/** The output channel, a `LogOutputChannel`. */
export const OutputChannelName = 'MOCO';
