/**
 * A `TreeDataProvider` over plain item descriptors (treeModel.ts): the Agents and Tasks views set
 * a new forest and this turns it into tree items, with `getParent` so that `TreeView.reveal` works.
 * Elements are the descriptors themselves; menus and commands receive them as their argument.
 */
import * as vscode from 'vscode';
import { indexTree, type Collapsible, type ItemDescriptor } from './treeModel';

const collapsibleStates: Record<Collapsible, vscode.TreeItemCollapsibleState> = {
  none: vscode.TreeItemCollapsibleState.None,
  collapsed: vscode.TreeItemCollapsibleState.Collapsed,
  expanded: vscode.TreeItemCollapsibleState.Expanded,
};

/** Holds the current forest of descriptors and tells the view when it changes. */
export class DescriptorTreeProvider implements vscode.TreeDataProvider<ItemDescriptor>, vscode.Disposable {
  private roots: ItemDescriptor[] = [];
  private index = indexTree([]);
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changeEmitter.event;

  /** Replaces the whole forest and refreshes the view. */
  set(roots: ItemDescriptor[]): void {
    this.roots = roots;
    this.index = indexTree(roots);
    this.changeEmitter.fire();
  }

  /** The descriptor with this id in the current forest (the element to reveal). */
  get(id: string): ItemDescriptor | undefined {
    return this.index.byId.get(id);
  }

  getTreeItem(element: ItemDescriptor): vscode.TreeItem {
    const current = this.index.byId.get(element.id) ?? element;
    const item = new vscode.TreeItem(current.label, collapsibleStates[current.collapsible]);
    item.id = current.id;
    item.description = current.description;
    item.tooltip = current.tooltip;
    item.contextValue = current.contextValue;
    if (current.icon) {
      item.iconPath = new vscode.ThemeIcon(current.icon.id, current.icon.color ? new vscode.ThemeColor(current.icon.color) : undefined);
    }
    if (current.command) item.command = current.command;
    if (current.ariaLabel) item.accessibilityInformation = { label: current.ariaLabel };
    return item;
  }

  getChildren(element?: ItemDescriptor): ItemDescriptor[] {
    if (!element) return this.roots;
    return this.index.byId.get(element.id)?.children ?? [];
  }

  getParent(element: ItemDescriptor): ItemDescriptor | undefined {
    const parentId = this.index.parentOf.get(element.id);
    return parentId === undefined ? undefined : this.index.byId.get(parentId);
  }

  dispose(): void {
    this.changeEmitter.dispose();
  }
}
