// websearch against a SearXNG-like JSON endpoint on 127.0.0.1, and when it is offered.
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { WebOptions } from '../../server/src/tools/services';
import type { ToolContext, ToolResult } from '../../server/src/tools/types';
import { webToolNames, webTools } from '../../server/src/tools/web/index';

let server: Server;
let base: string;
let seen: IncomingMessage[] = [];

const RESULTS = {
  query: 'tree-sitter',
  results: [
    { title: 'Tree-sitter', url: 'https://tree-sitter.github.io/', content: 'An incremental   parsing\nsystem for programming tools.' },
    { title: 'py-tree-sitter', url: 'https://github.com/tree-sitter/py-tree-sitter', content: 'Python bindings.' },
    { url: 'https://example.org/untitled' },
    { title: 'no url, skipped' },
  ],
};

beforeAll(async () => {
  server = createServer((request, response) => {
    seen.push(request);
    const url = new URL(request.url ?? '/', 'http://x');
    if (url.pathname === '/search') response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(RESULTS));
    else if (url.pathname === '/private') {
      if (request.headers.authorization === 'Bearer key-123') response.writeHead(200, { 'content-type': 'application/json' }).end('{"results":[]}');
      else response.writeHead(401).end('missing key');
    } else if (url.pathname === '/broken') response.writeHead(200, { 'content-type': 'text/html' }).end('<html>rate limited</html>');
    else response.writeHead(500).end('search backend down');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.close();
  await once(server, 'close');
});
beforeEach(() => {
  seen = [];
});

function search(args: Record<string, unknown>, endpoint?: { url: string; apiKey?: string }): Promise<ToolResult> {
  const tool = webTools().find((candidate) => candidate.definition.name === 'websearch')!;
  const web: WebOptions = { allowPrivateAddresses: false, maxResponseBytes: 1024 * 1024 };
  if (endpoint) web.search = endpoint;
  const context: ToolContext = { workingDir: '/tmp', runId: 'run-1', agent: 'coder', toolCallId: 'call_1', todos: { get: () => [], set: () => undefined }, services: { web } };
  return tool.implementation(tool.definition.parameters.parse(args), context, new AbortController().signal);
}

describe('websearch', () => {
  it("asks the endpoint with SearXNG's parameters and lists title, URL and snippet", async () => {
    const result = await search({ query: 'tree-sitter wasm', max_results: 3 }, { url: `${base}/search?language=en` });
    const asked = new URL(seen[0]?.url ?? '', base);
    expect(asked.searchParams.get('q')).toBe('tree-sitter wasm');
    expect(asked.searchParams.get('format')).toBe('json');
    expect(asked.searchParams.get('language')).toBe('en');
    expect(seen[0]?.headers.authorization).toBeUndefined();
    expect(result.content).toBe(
      [
        'Results for "tree-sitter wasm":',
        '',
        '1. Tree-sitter\n   https://tree-sitter.github.io/\n   An incremental parsing system for programming tools.',
        '',
        '2. py-tree-sitter\n   https://github.com/tree-sitter/py-tree-sitter\n   Python bindings.',
        '',
        '3. https://example.org/untitled\n   https://example.org/untitled',
      ].join('\n'),
    );
    expect(result.summary).toBe('3 results for tree-sitter wasm');
  });

  it('sends the API key as a bearer token', async () => {
    const result = await search({ query: 'x' }, { url: `${base}/private`, apiKey: 'key-123' });
    expect(seen[0]?.headers.authorization).toBe('Bearer key-123');
    expect(result.content).toBe('No results for "x".');
    const refused = await search({ query: 'x' }, { url: `${base}/private` });
    expect(refused.isError).toBe(true);
    expect(refused.content).toContain('answered HTTP 401 (check the API key in moco.web.search): missing key');
  });

  it('says clearly when the endpoint fails, answers something else than JSON, or is missing', async () => {
    const failed = await search({ query: 'x' }, { url: `${base}/down` });
    expect(failed.isError).toBe(true);
    expect(failed.content).toContain('answered HTTP 500: search backend down');
    const malformed = await search({ query: 'x' }, { url: `${base}/broken` });
    expect(malformed.isError).toBe(true);
    expect(malformed.content).toContain("did not answer with SearXNG's JSON");
    expect(malformed.content).toContain('<html>rate limited</html>');
    const missing = await search({ query: 'x' });
    expect(missing.isError).toBe(true);
    expect(missing.content).toContain('No web search endpoint is configured');
  });
});

describe('webToolNames', () => {
  it('offers websearch only when an endpoint is configured', () => {
    expect(webToolNames(undefined)).toEqual(['webfetch']);
    expect(webToolNames({ allowPrivateAddresses: false, maxResponseBytes: 1 })).toEqual(['webfetch']);
    expect(webToolNames({ allowPrivateAddresses: false, maxResponseBytes: 1, search: { url: 'https://searx.example/search' } })).toEqual(['webfetch', 'websearch']);
    expect(webTools().map((tool) => tool.definition.name)).toEqual(['webfetch', 'websearch']);
  });
});
