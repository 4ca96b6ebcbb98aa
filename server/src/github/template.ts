/**
 * The repository's pull request template, where GitHub looks for it
 * (docs.github.com, "Creating a pull request template for your repository"): `pull_request_template.md`
 * in `.github/`, the root or `docs/` (any case), or, for several templates, the first file of a
 * `PULL_REQUEST_TEMPLATE/` folder there. Only the repository's own files are read
 * (git/repositoryFiles.ts): a template, or a folder, that links outside the repository or to a file
 * git does not track is skipped.
 */
import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import * as path from 'node:path';
import { readConfinedFile } from '../git/repositoryFiles';

/** The folders GitHub reads templates from, in its order. */
const TEMPLATE_FOLDERS = ['.github', '', 'docs'];

/** The largest template read (bytes); a longer one is cut. */
export const TEMPLATE_MAX_BYTES = 16 * 1024;

/** A template found. */
export interface PullRequestTemplate {
  /** Path relative to the repository root, `/`-separated, for example `.github/pull_request_template.md`. */
  path: string;
  text: string;
}

/**
 * The repository's pull request template, or undefined when it has none. A single template file
 * (`pull_request_template.md` or `.txt`, any case) in `.github/`, the root, then `docs/` wins over
 * a `PULL_REQUEST_TEMPLATE/` folder, whose first Markdown file by name is taken.
 * @param repoPath the repository's root.
 * @throws the signal's reason when aborted.
 */
export async function findPullRequestTemplate(repoPath: string, signal: AbortSignal = new AbortController().signal): Promise<PullRequestTemplate | undefined> {
  for (const folder of TEMPLATE_FOLDERS) {
    const names = await list(path.join(repoPath, folder));
    const file = names.find((entry) => (entry.isFile() || entry.isSymbolicLink()) && /^pull_request_template\.(md|txt)$/i.test(entry.name));
    if (file) return read(repoPath, path.posix.join(folder, file.name), signal);
  }
  for (const folder of TEMPLATE_FOLDERS) {
    const names = await list(path.join(repoPath, folder));
    const dir = names.find((entry) => entry.isDirectory() && /^pull_request_template$/i.test(entry.name));
    if (!dir) continue;
    const inside = (await list(path.join(repoPath, folder, dir.name)))
      .filter((entry) => (entry.isFile() || entry.isSymbolicLink()) && /\.(md|txt)$/i.test(entry.name))
      .map((entry) => entry.name)
      .sort();
    if (inside[0]) return read(repoPath, path.posix.join(folder, dir.name, inside[0]), signal);
  }
  return undefined;
}

async function list(dir: string): Promise<Dirent[]> {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

async function read(repoPath: string, relative: string, signal: AbortSignal): Promise<PullRequestTemplate | undefined> {
  const read = await readConfinedFile(repoPath, path.join(repoPath, ...relative.split('/')), TEMPLATE_MAX_BYTES, signal);
  if (!('text' in read)) return undefined;
  const text = read.text.replace(/\r\n/g, '\n').trim();
  return text ? { path: relative, text } : undefined;
}
