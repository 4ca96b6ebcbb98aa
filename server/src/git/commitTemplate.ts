/**
 * The repository's commit message template: the file `commit.template` names
 * (`git config --type=path`, which expands `~/`; a relative path is taken from the repository's
 * root, where git runs it), or `.gitmessage` at the root. Comment lines are dropped: git drops
 * them from a message too (core.commentChar, `#` by default).
 */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { runGit } from './gitClient';

/** A template for the model to fill. */
export interface CommitTemplate {
  /** Where it came from: the path as configured, or `.gitmessage`. */
  source: string;
  /** Its text without comment lines, blank lines at its ends trimmed; cut to {@link TEMPLATE_MAX_CHARS}. */
  text: string;
}

/** Characters of a template given to the model. */
export const TEMPLATE_MAX_CHARS = 4096;

/** The comment character: `core.commentChar` (`auto` and unset mean `#`). */
async function commentChar(root: string, signal: AbortSignal): Promise<string> {
  // `--default`, so that git always prints something (see gitClient.ts on simple-git's wait).
  const value = (await runGit(root, ['config', '--get', '--default=#', 'core.commentChar'], signal).catch(() => '')).trim();
  return value === '' || value === 'auto' ? '#' : value;
}

/** `text` without comment lines and outer blank lines, cut to {@link TEMPLATE_MAX_CHARS}. */
export function templateText(text: string, comment = '#'): string {
  const kept = text
    .replace(/\r\n/g, '\n')
    .split('\n')
    .filter((line) => !line.startsWith(comment))
    .join('\n')
    .replace(/^\s*\n/, '')
    .trimEnd();
  return kept.length > TEMPLATE_MAX_CHARS ? kept.slice(0, TEMPLATE_MAX_CHARS) : kept;
}

/**
 * The template of the repository at `root`, or undefined when there is none, or when it is empty
 * once its comments are dropped. A configured file that cannot be read is skipped, as git would
 * fail on it only when committing with an editor.
 */
export async function findCommitTemplate(root: string, signal: AbortSignal): Promise<CommitTemplate | undefined> {
  const [configured, comment] = await Promise.all([
    runGit(root, ['config', '--get', '--type=path', '--default=', 'commit.template'], signal).then(
      (out) => out.trim(),
      () => '',
    ),
    commentChar(root, signal),
  ]);
  const candidates = configured ? [{ source: configured, file: path.resolve(root, configured) }] : [];
  candidates.push({ source: '.gitmessage', file: path.join(root, '.gitmessage') });
  for (const { source, file } of candidates) {
    const raw = await readFile(file, 'utf8').catch(() => undefined);
    if (raw === undefined) continue;
    const text = templateText(raw, comment);
    return text === '' ? undefined : { source, text };
  }
  return undefined;
}
