/**
 * Where a finding's file is in the open workspace (places.ts): its workspace folder by
 * `uri.toString()` and a path relative to it with `/` separators, as `review/run` gives it.
 */
import * as vscode from 'vscode';
import { fileSegments, folderWithUri, type FindingPlace, type FolderPath, type FolderRef } from './places';
import type { SpecRange } from './threadSpecs';
import type { DocumentLines } from './tracking';

export type { FindingPlace } from './places';

/** The open workspace folder of a finding, or `undefined` when it is not open (never another one). */
export function folderOf(place: { folder?: string }): vscode.WorkspaceFolder | undefined {
  return folderWithUri(place.folder, vscode.workspace.workspaceFolders ?? []);
}

/** The `folder` of findings in a workspace folder: its `uri.toString()`. */
export function folderKey(folder: vscode.WorkspaceFolder): string {
  return folder.uri.toString();
}

/** The open workspace folders as the findings name them, in order. */
export function openFolders(): FolderRef[] {
  return (vscode.workspace.workspaceFolders ?? []).map((folder) => ({ name: folder.name, uri: folderKey(folder) }));
}

/**
 * The file's URI, or `undefined` when its workspace folder is not open or its path is not one
 * inside the folder (absolute, or with `..`: never from the server, but the store is read from disk).
 */
export function findingUri(place: FindingPlace): vscode.Uri | undefined {
  const folder = folderOf(place);
  const segments = fileSegments(place.file);
  return folder && segments ? vscode.Uri.joinPath(folder.uri, ...segments) : undefined;
}

/** The folder and path of a document of the workspace, or `undefined` for one outside it (or unsaved). */
export function placeOf(uri: vscode.Uri): { folder: vscode.WorkspaceFolder; place: FolderPath } | undefined {
  if (uri.scheme !== 'file') return undefined;
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  if (!folder) return undefined;
  const base = folder.uri.path.endsWith('/') ? folder.uri.path : `${folder.uri.path}/`;
  if (!uri.path.startsWith(base)) return undefined;
  return { folder, place: { folder: folderKey(folder), file: uri.path.slice(base.length) } };
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
