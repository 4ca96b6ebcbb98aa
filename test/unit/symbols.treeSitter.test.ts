// The CLI's tree-sitter symbol search on a small real workspace in TypeScript and Python.
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notesOf } from '../../server/src/symbols/locations';
import { createTreeSitterSymbolService, TREE_SITTER_LIMITS } from '../../server/src/symbols/treeSitterSymbols';
import type { SymbolLocation, SymbolService } from '../../server/src/tools/services';

let workingDir: string;
let service: SymbolService;
const signal = new AbortController().signal;

const FILES: Record<string, string> = {
  '.gitignore': 'generated/\n',
  'src/shapes.ts': [
    'export class Circle {',
    '  constructor(private readonly radius: number) {}',
    '  area(): number {',
    '    return Math.PI * this.radius ** 2;',
    '  }',
    '}',
    '',
    'export function makeCircle(radius: number): Circle {',
    '  return new Circle(radius);',
    '}',
    '',
  ].join('\n'),
  'src/main.ts': [
    "import { makeCircle, type Circle } from './shapes';",
    '',
    '// makeCircle in a comment does not count',
    'const circle: Circle = makeCircle(2);',
    'console.log("makeCircle", circle.area());',
    '',
  ].join('\n'),
  'generated/copy.ts': 'export function makeCircle() {}\n',
  'py/geometry.py': [
    'class Square:',
    '    side = 1',
    '',
    '    def area(self):',
    '        side = self.side',
    '        return side ** 2',
    '',
    '',
    'def make_square():',
    '    return Square()',
    '',
  ].join('\n'),
  'py/app.py': [
    'from geometry import make_square, Square',
    '',
    '',
    'def run():',
    '    # make_square in a comment does not count',
    '    shape: Square = make_square()',
    '    return shape.area()',
    '',
  ].join('\n'),
};

beforeAll(async () => {
  workingDir = await realpath(await mkdtemp(path.join(tmpdir(), 'moco-symbols-')));
  for (const [relative, content] of Object.entries(FILES)) {
    await mkdir(path.dirname(path.join(workingDir, relative)), { recursive: true });
    await writeFile(path.join(workingDir, relative), content);
  }
  service = createTreeSitterSymbolService(workingDir);
});
afterAll(async () => {
  await rm(workingDir, { recursive: true, force: true });
});

/** `path:line:column` of each location. */
function places(locations: SymbolLocation[]): string[] {
  return locations.map((location) => `${location.path}:${location.line}:${location.column}`);
}

describe('tree-sitter symbol search', () => {
  it('says it is a syntactic search, not a language server', () => {
    expect(service.source).toContain('tree-sitter');
    expect(service.source).toContain('not resolved by a language server');
  });

  it('finds the definition of a TypeScript function and class, with the declaration\'s extent', async () => {
    const functions = await service.definitions({ symbol: 'makeCircle' }, signal);
    expect(places(functions)).toEqual(['src/shapes.ts:8:17']); // generated/ is ignored
    expect(functions[0]).toMatchObject({ endLine: 10, preview: 'export function makeCircle(radius: number): Circle {' });
    const classes = await service.definitions({ symbol: 'Circle' }, signal);
    expect(places(classes)).toEqual(['src/shapes.ts:1:14']);
    expect(classes[0]?.endLine).toBe(6);
    expect(places(await service.definitions({ symbol: 'area' }, signal))).toEqual(['py/geometry.py:4:9', 'src/shapes.ts:3:3']);
  });

  it('finds TypeScript references across two files, the definition included, never in comments or strings', async () => {
    const references = await service.references({ symbol: 'makeCircle' }, signal);
    expect(places(references)).toEqual(['src/main.ts:1:10', 'src/main.ts:4:24', 'src/shapes.ts:8:17']);
    expect(references[1]?.preview).toBe('const circle: Circle = makeCircle(2);');
    expect(places(await service.references({ symbol: 'Circle' }, signal))).toEqual([
      'src/main.ts:1:27',
      'src/main.ts:4:15',
      'src/shapes.ts:1:14',
      'src/shapes.ts:8:45',
      'src/shapes.ts:9:14',
    ]);
  });

  it('finds the definition of a Python function and class, and class attributes but not local variables', async () => {
    expect(places(await service.definitions({ symbol: 'make_square' }, signal))).toEqual(['py/geometry.py:9:5']);
    const classes = await service.definitions({ symbol: 'Square' }, signal);
    expect(places(classes)).toEqual(['py/geometry.py:1:7']);
    expect(classes[0]?.endLine).toBe(6);
    expect(places(await service.definitions({ symbol: 'side' }, signal))).toEqual(['py/geometry.py:2:5']);
  });

  it('finds Python references across two files', async () => {
    expect(places(await service.references({ symbol: 'Square' }, signal))).toEqual(['py/app.py:1:35', 'py/app.py:6:12', 'py/geometry.py:1:7', 'py/geometry.py:10:12']);
    expect(places(await service.references({ symbol: 'make_square' }, signal))).toEqual(['py/app.py:1:22', 'py/app.py:6:21', 'py/geometry.py:9:5']);
  });

  it('searches the given file first', async () => {
    const references = await service.references({ symbol: 'Circle', file: path.join(workingDir, 'src/shapes.ts'), line: 9 }, signal);
    expect(places(references)[0]).toBe('src/shapes.ts:1:14');
  });

  it('finds nothing for an unknown name, and says when a cap stopped the search', async () => {
    expect(await service.definitions({ symbol: 'noSuchSymbol' }, signal)).toEqual([]);
    const capped = createTreeSitterSymbolService(workingDir, { ...TREE_SITTER_LIMITS, maxResults: 2 });
    const references = await capped.references({ symbol: 'Circle' }, signal);
    expect(references).toHaveLength(2);
    expect(notesOf(references).join(' ')).toContain('The search stopped early: it found 2 locations');
    const small = createTreeSitterSymbolService(workingDir, { ...TREE_SITTER_LIMITS, maxFileBytes: 100 });
    expect(notesOf(await small.definitions({ symbol: 'makeCircle' }, signal)).join(' ')).toMatch(/files? larger than 100 B (was|were) not searched/);
  });

  it('stops when the call is cancelled', async () => {
    const controller = new AbortController();
    controller.abort(new Error('cancelled'));
    await expect(service.references({ symbol: 'Circle' }, controller.signal)).rejects.toThrow('cancelled');
  });
});
