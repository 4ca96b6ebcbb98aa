/**
 * Where a finding's file is: findings name their workspace folder (by name, only when the
 * workspace has several) and a path relative to it with `/` separators, as `review/run` gives it.
 */
import * as vscode from 'vscode';
import type { SpecRange } from './threadSpecs';
import type { DocumentLines } from './tracking';

/** A file as the findings name it. */
export interface FindingPlace {
  folder?: string;
  file: string;
}

/** The workspace folder a finding's `folder` names: that name, else the first folder. */
export function folderOf(place: { folder?: string }): vscode.WorkspaceFolder | undefined {
  const folders = vscode.workspace.workspaceFolders ?? [];
  return (place.folder === undefined ? undefined : folders.find((f) => f.name === place.folder)) ?? folders[0];
}

/** The `folder` of findings in a workspace folder: its name when the workspace has several, else absent. */
export function folderKey(folder: vscode.WorkspaceFolder): string | undefined {
  const folders = vscode.workspace.workspaceFolders ?? [];
  return folders.length > 1 && folder.index > 0 ? folder.name : undefined;
}

/** The file's URI, or `undefined` when no workspace folder is open. */
export function findingUri(place: FindingPlace): vscode.Uri | undefined {
  const folder = folderOf(place);
  return folder ? vscode.Uri.joinPath(folder.uri, ...place.file.split('/')) : undefined;
}

/** The folder and path of a document of the workspace, or `undefined` for one outside it (or unsaved). */
export function placeOf(uri: vscode.Uri): { folder: vscode.WorkspaceFolder; place: FindingPlace } | undefined {
  if (uri.scheme !== 'file') return undefined;
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  if (!folder) return undefined;
  const base = folder.uri.path.endsWith('/') ? folder.uri.path : `${folder.uri.path}/`;
  if (!uri.path.startsWith(base)) return undefined;
  const key = folderKey(folder);
  return { folder, place: { ...(key === undefined ? {} : { folder: key }), file: uri.path.slice(base.length) } };
}

/** Whether a finding is about the document at `uri`. */
export function isIn(place: FindingPlace, uri: vscode.Uri): boolean {
  return findingUri(place)?.toString() === uri.toString();
}

/** A spec's range as a `vscode.Range`. */
export function toRange(range: SpecRange): vscode.Range {
  return new vscode.Range(range.startLine, range.startCharacter, range.endLine, range.endCharacter);
}

/** A document's lines, read as they are needed. */
export function documentLines(document: vscode.TextDocument): DocumentLines {
  return { lineCount: document.lineCount, lineText: (line) => document.lineAt(line).text };
}
