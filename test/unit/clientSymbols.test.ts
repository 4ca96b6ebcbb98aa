// The client's symbol mapping without VS Code: finding the symbol in a document, picking
// workspace symbols, turning Location / LocationLink into the protocol's locations, and finding
// VS Code's bundled rg under an app root.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bundledRipgrepPath } from '../../client/src/editorTools/ripgrepPath';
import {
  exactSymbols,
  findSymbolPosition,
  nameInRange,
  toEditorLocation,
  uniqueLocations,
  wholeWordIndex,
  type UriLike,
} from '../../client/src/editorTools/symbolText';

const LINES = ['import { parse, parser } from "./p";', '', 'const parsed = parser.parse(text);', 'export function $parse() { return parse(1); }'];

function uri(fsPath: string, scheme = 'file'): UriLike {
  return { scheme, fsPath, toString: () => (scheme === 'file' ? `file://${fsPath}` : `${scheme}:${fsPath}`) };
}

describe('finding the symbol in a document', () => {
  it('matches whole words only', () => {
    expect(wholeWordIndex('const parsed = parser.parse(text);', 'parse')).toBe(22);
    expect(wholeWordIndex('$parse(parse_x)', 'parse')).toBe(-1);
    expect(wholeWordIndex('élan parse', 'lan')).toBe(-1);
  });

  it('uses the given line when the symbol is on it, else its first occurrence with a note', () => {
    expect(findSymbolPosition(LINES, 'parse', 3)).toEqual({ position: { line: 2, character: 22 } });
    expect(findSymbolPosition(LINES, 'parse')).toEqual({ position: { line: 0, character: 9 } });
    expect(findSymbolPosition(LINES, 'parse', 2)).toEqual({
      position: { line: 0, character: 9 },
      note: 'parse is not on line 2; its first occurrence, on line 1, was used.',
    });
    expect(findSymbolPosition(LINES, 'missing')).toBeUndefined();
  });

  it("finds the name inside a workspace symbol's declaration range", () => {
    const range = { start: { line: 3, character: 0 }, end: { line: 3, character: 45 } };
    expect(nameInRange(LINES, '$parse', range)).toEqual({ line: 3, character: 16 });
    expect(nameInRange(LINES, 'absent', range)).toEqual({ line: 3, character: 0 });
  });
});

describe('workspace symbols', () => {
  it('keeps exact names first, then names equal but for case, and drops fuzzy matches', () => {
    const location = { uri: uri('/w/a.ts'), range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } } };
    const symbols = [
      { name: 'parseArgs', location },
      { name: 'ParseArguments', location },
      { name: 'parseArguments(argv: string[])', location, containerName: 'cli' },
      { name: 'prsArguments', location },
    ];
    expect(exactSymbols(symbols, 'parseArguments').map((symbol) => symbol.name)).toEqual(['parseArguments(argv: string[])', 'ParseArguments']);
  });
});

describe('mapping locations', () => {
  it('maps a Location to 1-based lines and columns with a trimmed preview', () => {
    const location = { uri: uri('/w/src/a.ts'), range: { start: { line: 2, character: 22 }, end: { line: 2, character: 27 } } };
    expect(toEditorLocation(location, (line) => LINES[line] ?? '')).toEqual({
      path: '/w/src/a.ts',
      line: 3,
      column: 23,
      endLine: 3,
      preview: 'const parsed = parser.parse(text);',
    });
  });

  it("maps a LocationLink to its name's start and its declaration's end", () => {
    const link = {
      targetUri: uri('/w/src/p.ts'),
      targetRange: { start: { line: 3, character: 0 }, end: { line: 9, character: 1 } },
      targetSelectionRange: { start: { line: 3, character: 16 }, end: { line: 3, character: 22 } },
    };
    expect(toEditorLocation(link, () => '   export function $parse() {   ')).toEqual({ path: '/w/src/p.ts', line: 4, column: 17, endLine: 10, preview: 'export function $parse() {' });
  });

  it('keeps URIs that are not files as text, cuts long previews, and drops repeats', () => {
    const location = { uri: uri('Untitled-1', 'untitled'), range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } } };
    const mapped = toEditorLocation(location, () => 'x'.repeat(300));
    expect(mapped.path).toBe('untitled:Untitled-1');
    expect(mapped.preview).toHaveLength(200);
    expect(mapped.preview.endsWith('…')).toBe(true);
    expect(uniqueLocations([mapped, { ...mapped }, { ...mapped, line: 2 }])).toHaveLength(2);
  });
});

describe('bundledRipgrepPath', () => {
  let appRoot: string | undefined;
  afterEach(async () => {
    if (appRoot) await rm(appRoot, { recursive: true, force: true });
  });

  it('finds rg in node_modules or node_modules.asar.unpacked, and nothing elsewhere', async () => {
    appRoot = await mkdtemp(path.join(tmpdir(), 'moco-app-root-'));
    expect(bundledRipgrepPath(appRoot, 'linux')).toBeUndefined();
    const unpacked = path.join(appRoot, 'node_modules.asar.unpacked', '@vscode', 'ripgrep', 'bin');
    await mkdir(unpacked, { recursive: true });
    await writeFile(path.join(unpacked, 'rg'), '');
    expect(bundledRipgrepPath(appRoot, 'linux')).toBe(path.join(unpacked, 'rg'));
    const current = path.join(appRoot, 'node_modules', '@vscode', 'ripgrep', 'bin');
    await mkdir(current, { recursive: true });
    await writeFile(path.join(current, 'rg'), '');
    await writeFile(path.join(current, 'rg.exe'), '');
    expect(bundledRipgrepPath(appRoot, 'linux')).toBe(path.join(current, 'rg'));
    expect(bundledRipgrepPath(appRoot, 'win32')).toBe(path.join(current, 'rg.exe'));
  });
});
