/**
 * A tree that has no items yet. VS Code then shows the view's `viewsWelcome` content from
 * `package.json`, which is the empty state. The Agents and Tasks views start as this and get their
 * items from the orchestration engine in later issues.
 */
import * as vscode from 'vscode';

export class EmptyTreeDataProvider implements vscode.TreeDataProvider<never> {
  getTreeItem(element: never): vscode.TreeItem {
    return element;
  }

  getChildren(): never[] {
    return [];
  }
}

/** Registers an empty tree view with an accessible title. */
export function registerEmptyTreeView(viewId: string): vscode.Disposable {
  return vscode.window.createTreeView(viewId, {
    treeDataProvider: new EmptyTreeDataProvider(),
    showCollapseAll: false,
  });
}
