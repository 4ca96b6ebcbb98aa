/**
 * The repository's commit message template: the file `commit.template` names
 * (`git config --type=path`, which expands `~/`; a relative path is taken from the repository's
 * root, where git runs it), or `.gitmessage` at the root. Comment lines are dropped: git drops
 * them from a message too (core.commentChar, `#` by default).
 *
 * A template the user's own (global or system) config names is read wherever it is; one the
 * repository's config names, and `.gitmessage`, only when they are the repository's own files
 * (repositoryFiles.ts: inside its root, links only to tracked files), so that a repository cannot
 * pull a secret from elsewhere into the prompt.
 */
import * as path from 'node:path';
import { runGit } from './gitClient';
import { readConfinedFile, readFileStart, REFUSED_WORDS, type RefusedReason } from './repositoryFiles';

/** A template for the model to fill. */
export interface CommitTemplate {
  /** Where it came from: the path as configured, or `.gitmessage`. */
  source: string;
  /** Its text without comment lines, blank lines at its ends trimmed; cut to {@link TEMPLATE_MAX_CHARS}. */
  text: string;
}

/** A template that is there but was not read, and why: one sentence for the user. */
export interface SkippedTemplate {
  source: string;
  skipped: string;
}

/** Characters of a template given to the model. */
export const TEMPLATE_MAX_CHARS = 4096;

/** Bytes of a template file read: comments dropped, it is cut to {@link TEMPLATE_MAX_CHARS}. */
const TEMPLATE_READ_BYTES = 64 * 1024;

/** Config scopes the user writes themselves (`git config --show-scope`), whose template may be anywhere. */
const USER_SCOPES = new Set(['global', 'system']);

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
 * Why a template was not read, as the end of a sentence that starts with its name.
 * @param configured named by the repository's `commit.template` (not `.gitmessage`).
 */
function skippedWords(reason: Exclude<RefusedReason, 'missing'>, configured: boolean): string {
  return reason === 'outside' && configured
    ? "is outside the repository (or inside .git), or a link there, and the repository's own config names it, so MOCO did not read it; name it in your global git config to use it"
    : `${REFUSED_WORDS[reason]}, so MOCO did not read it`;
}

/**
 * The template of the repository at `root`; a {@link SkippedTemplate} when it may not be read (see
 * the file's comment); undefined when there is none, or when it is empty once its comments are
 * dropped. A configured file that is missing or unreadable is passed over for `.gitmessage`, as
 * git would fail on it only when committing with an editor.
 */
export async function findCommitTemplate(root: string, signal: AbortSignal): Promise<CommitTemplate | SkippedTemplate | undefined> {
  const [configured, comment] = await Promise.all([
    // `<scope>\t<value>`; `unknown\t` when unset (`--default`, so that git always prints).
    runGit(root, ['config', '--show-scope', '--get', '--type=path', '--default=', 'commit.template'], signal).then(
      (out) => {
        const line = out.replace(/\n$/, '');
        const tab = line.indexOf('\t');
        return { scope: line.slice(0, Math.max(tab, 0)), value: line.slice(tab + 1).trim() };
      },
      () => ({ scope: '', value: '' }),
    ),
    commentChar(root, signal),
  ]);
  const candidates = configured.value ? [{ source: configured.value, file: path.resolve(root, configured.value), anywhere: USER_SCOPES.has(configured.scope), configured: true }] : [];
  candidates.push({ source: '.gitmessage', file: path.join(root, '.gitmessage'), anywhere: false, configured: false });
  for (const { source, file, anywhere, configured: named } of candidates) {
    const read = anywhere ? await readFileStart(file, TEMPLATE_READ_BYTES).then((text) => (text === undefined ? undefined : { text })) : await readConfinedFile(root, file, TEMPLATE_READ_BYTES, signal);
    // Refused: said, and `.gitmessage` not used in its place (git would use the configured one).
    if (read && 'refused' in read && read.refused !== 'missing') return { source, skipped: `The commit template ${source} ${skippedWords(read.refused, named)}.` };
    if (!read || !('text' in read)) continue;
    const text = templateText(read.text, comment);
    return text === '' ? undefined : { source, text };
  }
  return undefined;
}

