// The editor's symbol service against a fake sendRequest: the editor's answer, and the fall-back
// to the tree-sitter search when the client has no handler (MethodNotFound), fails, is slow or
// finds nothing. And the requester over a connection, cancelled with the call.
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ResponseError, ErrorCodes, type CancellationToken } from 'vscode-jsonrpc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EditorDefinitionsRequest, EditorReferencesRequest, type EditorSymbolParams, type EditorSymbolResult } from '../../protocol/editor';
import { createEditorSymbolService, EDITOR_SOURCE, editorSymbolRequester, type EditorSymbolRequester } from '../../server/src/symbols/editorSymbols';
import { notesOf, sourceOf } from '../../server/src/symbols/locations';
import { TREE_SITTER_SOURCE } from '../../server/src/symbols/treeSitterSymbols';

let workingDir: string;
const signal = new AbortController().signal;

beforeAll(async () => {
  workingDir = await realpath(await mkdtemp(path.join(tmpdir(), 'moco-editor-symbols-')));
  await mkdir(path.join(workingDir, 'src'));
  await writeFile(path.join(workingDir, 'src', 'util.ts'), 'export function slugify(text: string) {\n  return text;\n}\n');
  await writeFile(path.join(workingDir, 'src', 'use.ts'), "import { slugify } from './util';\nslugify('A B');\n");
});
afterAll(async () => {
  await rm(workingDir, { recursive: true, force: true });
});

/** A fake requester that records its calls and answers with `answer`. */
function fake(answer: (method: string, params: EditorSymbolParams, signal: AbortSignal) => Promise<EditorSymbolResult>): EditorSymbolRequester & { calls: string[] } {
  const calls: string[] = [];
  const requester = (type: { method: string }, params: EditorSymbolParams, requestSignal: AbortSignal): Promise<EditorSymbolResult> => {
    calls.push(type.method);
    return answer(type.method, params, requestSignal);
  };
  return Object.assign(requester, { calls });
}

describe('the editor symbol service', () => {
  it("gives the editor's locations, paths made relative to the working directory", async () => {
    let asked: EditorSymbolParams | undefined;
    const requester = fake((_method, params) => {
      asked = params;
      return Promise.resolve({
        locations: [
          { path: path.join(workingDir, 'src', 'util.ts'), line: 1, column: 17, endLine: 3, preview: 'export function slugify(text: string) {' },
          { path: '/usr/lib/node_modules/typescript/lib/lib.es5.d.ts', line: 10, column: 1, endLine: 10, preview: 'declare var x' },
        ],
        notes: ['slugify is not on line 9; its first occurrence, on line 2, was used.'],
      });
    });
    const service = createEditorSymbolService(requester, workingDir);
    const found = await service.definitions({ symbol: 'slugify', file: path.join(workingDir, 'src', 'use.ts'), line: 9 }, signal);
    expect(requester.calls).toEqual([EditorDefinitionsRequest.method]);
    expect(asked).toEqual({ symbol: 'slugify', file: path.join(workingDir, 'src', 'use.ts'), line: 9 });
    expect(found.map((location) => location.path)).toEqual(['src/util.ts', '/usr/lib/node_modules/typescript/lib/lib.es5.d.ts']);
    expect(notesOf(found)).toEqual(['slugify is not on line 9; its first occurrence, on line 2, was used.']);
    expect(sourceOf(found, service.source)).toBe(EDITOR_SOURCE);
  });

  it('falls back to the tree-sitter search for good after MethodNotFound (a client without the handler)', async () => {
    const requester = fake(() => Promise.reject(new ResponseError(ErrorCodes.MethodNotFound, 'Unhandled method editor/references')));
    const service = createEditorSymbolService(requester, workingDir);
    expect(service.source).toBe(EDITOR_SOURCE);
    const first = await service.references({ symbol: 'slugify' }, signal);
    expect(first.map((location) => `${location.path}:${location.line}`)).toEqual(['src/use.ts:1', 'src/use.ts:2', 'src/util.ts:1']);
    expect(sourceOf(first, service.source)).toBe(TREE_SITTER_SOURCE);
    expect(service.source).toBe(TREE_SITTER_SOURCE);
    const second = await service.definitions({ symbol: 'slugify' }, signal);
    expect(second.map((location) => `${location.path}:${location.line}`)).toEqual(['src/util.ts:1']);
    expect(requester.calls).toEqual([EditorReferencesRequest.method]); // not asked again
  });

  it('falls back with a note when the editor fails, is too slow or finds nothing, and keeps asking it', async () => {
    const failing = createEditorSymbolService(
      fake(() => Promise.reject(new ResponseError(ErrorCodes.InternalError, 'the TypeScript server crashed'))),
      workingDir,
    );
    const failed = await failing.definitions({ symbol: 'slugify' }, signal);
    expect(failed).toHaveLength(1);
    expect(notesOf(failed)[0]).toBe(`${EDITOR_SOURCE} failed (the TypeScript server crashed), so a syntactic search answered instead.`);
    expect(failing.source).toBe(EDITOR_SOURCE);

    const slow = fake((_method, _params, requestSignal) => new Promise((_, reject) => requestSignal.addEventListener('abort', () => reject(requestSignal.reason as Error))));
    const slowService = createEditorSymbolService(slow, workingDir, { timeoutMs: 50 });
    const late = await slowService.definitions({ symbol: 'slugify' }, signal);
    expect(notesOf(late)[0]).toBe(`${EDITOR_SOURCE} did not answer within 0.05 s, so a syntactic search answered instead.`);
    expect(sourceOf(late, slowService.source)).toBe(TREE_SITTER_SOURCE);

    const empty = createEditorSymbolService(fake(() => Promise.resolve({ locations: [], notes: [] })), workingDir);
    const none = await empty.references({ symbol: 'slugify' }, signal);
    expect(none).toHaveLength(3);
    expect(notesOf(none)[0]).toBe(`${EDITOR_SOURCE} found no references of slugify, so a syntactic search answered instead.`);
    const nothing = await empty.references({ symbol: 'absentEverywhere' }, signal);
    expect(nothing).toEqual([]);
    expect(sourceOf(nothing, empty.source)).toBe(EDITOR_SOURCE);
  });

  it('rejects with the reason when the call is cancelled, without falling back', async () => {
    const controller = new AbortController();
    const requester = fake((_method, _params, requestSignal) => new Promise((_, reject) => requestSignal.addEventListener('abort', () => reject(new Error('request cancelled')))));
    const service = createEditorSymbolService(requester, workingDir);
    const call = service.definitions({ symbol: 'slugify' }, controller.signal);
    controller.abort(new Error('run cancelled'));
    await expect(call).rejects.toThrow('run cancelled');
  });
});

describe('editorSymbolRequester', () => {
  it('sends the typed request and cancels it with the signal', async () => {
    let token: CancellationToken | undefined;
    let method: string | undefined;
    const connection = {
      sendRequest: (type: { method: string }, _params: unknown, cancellation: CancellationToken) => {
        method = type.method;
        token = cancellation;
        return new Promise<never>(() => undefined);
      },
    };
    const requester = editorSymbolRequester(connection as unknown as Parameters<typeof editorSymbolRequester>[0]);
    const controller = new AbortController();
    const call = requester(EditorReferencesRequest, { symbol: 'x' }, controller.signal);
    expect(method).toBe('editor/references');
    expect(token?.isCancellationRequested).toBe(false);
    controller.abort(new Error('stop'));
    await expect(call).rejects.toThrow('stop');
    expect(token?.isCancellationRequested).toBe(true);
  });
});
