/**
 * `.gitignore` rules for the search tools (`glob_search`, `tree`, `grep`), read with the `ignore`
 * package, which implements git's pattern syntax (https://git-scm.com/docs/gitignore). Rules come
 * from every `.gitignore` between the working directory and the path, plus `.git/info/exclude`;
 * a deeper file's rules override a shallower one's, and nothing inside an ignored folder comes
 * back. `.git` and `node_modules` are always skipped. `.gitignore` files above the working
 * directory are not read.
 */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';

/** Folder names skipped at any depth, ignored or not. */
export const ALWAYS_SKIPPED = new Set(['.git', 'node_modules']);

/** Answers whether a path under the working directory is ignored. One per tool call (it caches). */
export class GitignoreMatcher {
  private readonly rules = new Map<string, Promise<Ignore | undefined>>();
  private readonly folders = new Map<string, Promise<boolean>>();

  /** @param root real path of the working directory; paths are given relative to it. */
  constructor(private readonly root: string) {}

  /**
   * Whether `relative` (POSIX separators, relative to the root, no `..`) is skipped: it or one of
   * its parent folders is in {@link ALWAYS_SKIPPED} or matched by `.gitignore` rules.
   *
   * @param isFolder whether the path is a folder (rules ending in `/` match only folders).
   */
  async isIgnored(relative: string, isFolder: boolean): Promise<boolean> {
    const segments = relative.split('/').filter((segment) => segment !== '' && segment !== '.');
    if (segments.length === 0) return false;
    for (let depth = 1; depth < segments.length; depth++) {
      if (await this.isFolderIgnored(segments.slice(0, depth))) return true;
    }
    return this.matches(segments, isFolder);
  }

  private isFolderIgnored(segments: string[]): Promise<boolean> {
    const key = segments.join('/');
    let cached = this.folders.get(key);
    if (!cached) {
      cached = (async () => {
        for (let depth = 1; depth < segments.length; depth++) {
          if (await this.isFolderIgnored(segments.slice(0, depth))) return true;
        }
        return this.matches(segments, true);
      })();
      this.folders.set(key, cached);
    }
    return cached;
  }

  /** The path's own verdict: the last rule that matches it, from the shallowest file to the deepest. */
  private async matches(segments: string[], isFolder: boolean): Promise<boolean> {
    if (ALWAYS_SKIPPED.has(segments[segments.length - 1] ?? '') && isFolder) return true;
    let ignored = false;
    for (let level = 0; level < segments.length; level++) {
      const rules = await this.rulesOf(segments.slice(0, level).join('/'));
      if (!rules) continue;
      const verdict = rules.test(segments.slice(level).join('/') + (isFolder ? '/' : ''));
      if (verdict.ignored) ignored = true;
      else if (verdict.unignored) ignored = false;
    }
    return ignored;
  }

  private rulesOf(folder: string): Promise<Ignore | undefined> {
    let cached = this.rules.get(folder);
    if (!cached) {
      cached = this.loadRules(folder);
      this.rules.set(folder, cached);
    }
    return cached;
  }

  private async loadRules(folder: string): Promise<Ignore | undefined> {
    const files = [path.join(this.root, folder, '.gitignore')];
    if (folder === '') files.unshift(path.join(this.root, '.git', 'info', 'exclude'));
    const texts = await Promise.all(files.map((file) => readFile(file, 'utf8').catch(() => undefined)));
    const present = texts.filter((text): text is string => text !== undefined);
    // One text with all rules: `add` splits a string on newlines, but not the strings of an array.
    return present.length === 0 ? undefined : ignore().add(present.join('\n'));
  }
}
