/**
 * Plain descriptions of tree items, built by pure functions (agentsModel.ts, tasksModel.ts) and
 * turned into `vscode.TreeItem`s by descriptorTree.ts. Keeping them plain lets the unit tests check
 * what a user sees in the Agents and Tasks views without VS Code.
 */

/** `vscode.TreeItemCollapsibleState` by name. */
export type Collapsible = 'none' | 'collapsed' | 'expanded';

/** A codicon (`ThemeIcon` id, for example `loading~spin`) and an optional theme color id. */
export interface TreeIcon {
  id: string;
  color?: string;
}

/** What a run item or a task item refers to: the argument of the MOCO run commands. */
export interface RunRef {
  sessionId?: string;
  runId?: string;
}

/** A background task item's data: the argument of `moco.showTaskLog`, `moco.cancelRun`... */
export interface TaskRef {
  sessionId: string;
  runId?: string;
  logFile: string;
  title: string;
}

/** A command run when the item is selected (`TreeItem.command`). */
export interface ItemCommand {
  command: string;
  title: string;
  arguments: unknown[];
}

/** One tree item and its children. */
export interface ItemDescriptor {
  /** Stable across refreshes (`TreeItem.id`), so that expansion and selection survive them. */
  id: string;
  label: string;
  description?: string;
  tooltip?: string;
  /** What a screen reader says for the item (`accessibilityInformation.label`). */
  ariaLabel?: string;
  icon?: TreeIcon;
  /** One of `TreeItemContexts` (protocol/ids.ts), for `view/item/context` menus. */
  contextValue?: string;
  collapsible: Collapsible;
  command?: ItemCommand;
  children: ItemDescriptor[];
  /** Set on run items. */
  run?: RunRef;
  /** Set on task items. */
  task?: TaskRef;
}

/**
 * The run a command argument refers to: a run id, a {@link RunRef}, or a tree item descriptor
 * (menus pass the item). `undefined` when it names none.
 */
export function toRunRef(arg: unknown): RunRef | undefined {
  if (typeof arg === 'string') return arg === '' ? undefined : { runId: arg };
  if (typeof arg !== 'object' || arg === null) return undefined;
  const item = arg as Partial<ItemDescriptor> & RunRef;
  if (item.task) return { sessionId: item.task.sessionId, runId: item.task.runId };
  if (item.run) return item.run;
  const sessionId = typeof item.sessionId === 'string' ? item.sessionId : undefined;
  const runId = typeof item.runId === 'string' ? item.runId : undefined;
  return sessionId || runId ? { sessionId, runId } : undefined;
}

/** The task a command argument refers to (a Tasks view item), else `undefined`. */
export function toTaskRef(arg: unknown): TaskRef | undefined {
  if (typeof arg !== 'object' || arg === null) return undefined;
  const task = (arg as Partial<ItemDescriptor>).task;
  return task && typeof task.sessionId === 'string' ? task : undefined;
}

/** Every descriptor of a forest by id, and each one's parent id (roots have none). */
export function indexTree(roots: readonly ItemDescriptor[]): {
  byId: Map<string, ItemDescriptor>;
  parentOf: Map<string, string>;
} {
  const byId = new Map<string, ItemDescriptor>();
  const parentOf = new Map<string, string>();
  const visit = (item: ItemDescriptor, parent?: string): void => {
    byId.set(item.id, item);
    if (parent !== undefined) parentOf.set(item.id, parent);
    for (const child of item.children) visit(child, item.id);
  };
  for (const root of roots) visit(root);
  return { byId, parentOf };
}
