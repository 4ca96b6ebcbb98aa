/**
 * The repository's pull request template, where GitHub looks for it
 * (docs.github.com, "Creating a pull request template for your repository"): `pull_request_template.md`
 * in `.github/`, the root or `docs/` (any case), or, for several templates, the first file of a
 * `PULL_REQUEST_TEMPLATE/` folder there.
 */
import type { Dirent } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';

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
 */
export async function findPullRequestTemplate(repoPath: string): Promise<PullRequestTemplate | undefined> {
  for (const folder of TEMPLATE_FOLDERS) {
    const names = await list(path.join(repoPath, folder));
    const file = names.find((entry) => entry.isFile() && /^pull_request_template\.(md|txt)$/i.test(entry.name));
    if (file) return read(repoPath, path.posix.join(folder, file.name));
  }
  for (const folder of TEMPLATE_FOLDERS) {
    const names = await list(path.join(repoPath, folder));
    const dir = names.find((entry) => entry.isDirectory() && /^pull_request_template$/i.test(entry.name));
    if (!dir) continue;
    const inside = (await list(path.join(repoPath, folder, dir.name)))
      .filter((entry) => entry.isFile() && /\.(md|txt)$/i.test(entry.name))
      .map((entry) => entry.name)
      .sort();
    if (inside[0]) return read(repoPath, path.posix.join(folder, dir.name, inside[0]));
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

async function read(repoPath: string, relative: string): Promise<PullRequestTemplate | undefined> {
  try {
    const buffer = await readFile(path.join(repoPath, ...relative.split('/')));
    const text = buffer.subarray(0, TEMPLATE_MAX_BYTES).toString('utf8').replace(/\r\n/g, '\n').trim();
    return text ? { path: relative, text } : undefined;
  } catch {
    return undefined;
  }
}
