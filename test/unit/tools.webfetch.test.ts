// webfetch against real HTTP servers on 127.0.0.1 (allowPrivateAddresses: true there), the
// refusal of private addresses by default (nothing is sent), a redirect from a public-looking host
// to a private address refused at the hop, caps, conversions and schemes.
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ToolServices, WebOptions } from '../../server/src/tools/services';
import type { Tool, ToolContext, ToolResult } from '../../server/src/tools/types';
import { systemNetwork, type WebNetwork } from '../../server/src/tools/web/httpFetch';
import { webTools, type WebfetchDependencies } from '../../server/src/tools/web/index';

const PARAGRAPH = `<p>${'The quick brown fox jumps over the lazy dog, again and again. '.repeat(6)}<a href="/docs/next.html">next part</a></p>`;
const ARTICLE = `<!doctype html><html><head><title>Foxes | Field Notes</title><style>p{}</style></head><body>
<nav><a href="/">Home</a> <a href="/about">About</a></nav>
<article><h1>Foxes</h1>${PARAGRAPH}<h2>Habits</h2>${PARAGRAPH}<pre><code>fox.jump();</code></pre>${PARAGRAPH}</article>
<footer>Copyright</footer><script>trackVisitor();</script></body></html>`;

type Handler = (request: IncomingMessage, response: ServerResponse) => void;
const routes: Record<string, Handler> = {
  '/article': (_q, r) => r.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(ARTICLE),
  '/status': (_q, r) => r.writeHead(200, { 'content-type': 'text/html' }).end('<html><head><title>Status</title></head><body><footer>All systems operational</footer></body></html>'),
  '/plain': (_q, r) => r.writeHead(200, { 'content-type': 'text/plain' }).end('just text\nsecond line\n'),
  '/json': (_q, r) => r.writeHead(200, { 'content-type': 'application/json' }).end('{"name":"moco","tools":["webfetch"]}'),
  '/latin1': (_q, r) => r.writeHead(200, { 'content-type': 'text/plain; charset=iso-8859-1' }).end(Buffer.from([0x63, 0x61, 0x66, 0xe9])),
  '/image': (_q, r) => r.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d])),
  '/gzip': (_q, r) => r.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip' }).end(gzipSync('compressed text')),
  '/big': (_q, r) => r.writeHead(200, { 'content-type': 'text/plain' }).end('x'.repeat(300_000)),
  '/redirect': (_q, r) => r.writeHead(302, { location: '/plain' }).end(),
  '/loop': (_q, r) => r.writeHead(301, { location: '/loop' }).end(),
  '/to-file': (_q, r) => r.writeHead(302, { location: 'file:///etc/passwd' }).end(),
  '/to-private': (_q, r) => r.writeHead(302, { location: 'http://10.1.2.3/admin' }).end(),
  '/to-loopback': (request, r) => r.writeHead(307, { location: `http://127.0.0.1:${(request.socket.localPort ?? 0).toString()}/plain` }).end(),
  '/to-metadata': (_q, r) => r.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end(),
  '/missing': (_q, r) => r.writeHead(404, { 'content-type': 'text/html' }).end('<html><body><p>No such page</p></body></html>'),
  '/hang': () => undefined,
};

let server: Server;
let base: string;
let requests: string[] = [];
const sockets = new Set<Socket>();

beforeAll(async () => {
  server = createServer((request, response) => {
    requests.push(request.url ?? '');
    (routes[request.url ?? ''] ?? ((_q, r) => r.writeHead(404).end()))(request, response);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  server.close();
  await once(server, 'close');
});
beforeEach(() => {
  requests = [];
});

const ALLOW: WebOptions = { allowPrivateAddresses: true, maxResponseBytes: 5 * 1024 * 1024 };
const DEFAULTS: WebOptions = { allowPrivateAddresses: false, maxResponseBytes: 5 * 1024 * 1024 };

function fetchTool(dependencies?: WebfetchDependencies): Tool {
  return webTools(dependencies).find((tool) => tool.definition.name === 'webfetch')!;
}

/** Fetches with the tool; `web` 'none' gives the call no web settings (the defaults apply). */
function fetchPage(args: Record<string, unknown>, web: WebOptions | 'none' = ALLOW, dependencies?: WebfetchDependencies): Promise<ToolResult> {
  const tool = fetchTool(dependencies);
  const context: ToolContext = { workingDir: '/tmp', runId: 'run-1', agent: 'coder', toolCallId: 'call_1', todos: { get: () => [], set: () => undefined } };
  if (web !== 'none') context.services = { web } satisfies ToolServices;
  return tool.implementation(tool.definition.parameters.parse(args), context, new AbortController().signal);
}

describe('webfetch content', () => {
  it('turns an HTML article into Markdown with its title, without menus or scripts, links made absolute', async () => {
    const result = await fetchPage({ url: `${base}/article` });
    expect(result.isError).toBeUndefined();
    expect(result.content).toMatch(/^Title: Foxes \| Field Notes\nURL: http:\/\/127\.0\.0\.1:\d+\/article\nContent-Type: text\/html; charset=utf-8\nSize: /);
    expect(result.content).toContain('## Habits');
    expect(result.content).toContain('```\nfox.jump();\n```');
    expect(result.content).toContain(`[next part](${base}/docs/next.html)`);
    expect(result.content).not.toContain('trackVisitor');
    expect(result.content).not.toContain('About');
    expect(result.summary).toMatch(/^fetched 127\.0\.0\.1:\d+ \(.+, html\)$/);
  });

  it('converts the whole body when Readability finds no article', async () => {
    const result = await fetchPage({ url: `${base}/status` });
    expect(result.content).toContain('Title: Status');
    expect(result.content).toContain('All systems operational');
  });

  it('passes text and JSON through, decodes the charset and gzip, and describes binary content', async () => {
    expect((await fetchPage({ url: `${base}/plain` })).content).toMatch(/\n\njust text\nsecond line\n$/);
    expect((await fetchPage({ url: `${base}/json` })).content).toContain('\n\n{"name":"moco","tools":["webfetch"]}');
    expect((await fetchPage({ url: `${base}/latin1` })).content).toMatch(/\n\ncafé$/);
    expect((await fetchPage({ url: `${base}/gzip` })).content).toMatch(/\n\ncompressed text$/);
    const image = await fetchPage({ url: `${base}/image` });
    expect(image.content).toContain('[image/png, 12 B: not text, so not shown.');
    expect(image.content).not.toContain('PNG');
  });

  it('stops reading at the byte cap and cuts the text for the model, saying so', async () => {
    const capped = await fetchPage({ url: `${base}/big` }, { ...ALLOW, maxResponseBytes: 64 * 1024 });
    expect(capped.content).toContain('Size: 64.0 KiB (cut: the response is longer than 64.0 KiB, reading stopped there)');
    expect(capped.content).toMatch(/\n\nx{65536}$/);
    const lower = await fetchPage({ url: `${base}/big`, max_bytes: 1000 });
    expect(lower.content).toMatch(/\n\nx{1000}$/);
    const long = await fetchPage({ url: `${base}/big` });
    expect(long.content).toContain('[Text cut at 100,000 of 300,000 characters.]');
  });

  it('follows redirects and gives the final URL; too many redirects, a 404 and a time-out are clear errors', async () => {
    const redirected = await fetchPage({ url: `${base}/redirect` });
    expect(redirected.content).toContain(`URL: ${base}/plain (redirected from ${base}/redirect)`);
    const loop = await fetchPage({ url: `${base}/loop` });
    expect(loop.isError).toBe(true);
    expect(loop.content).toContain('more than 5 redirects');
    expect(requests.filter((url) => url === '/loop')).toHaveLength(6);
    const missing = await fetchPage({ url: `${base}/missing` });
    expect(missing.isError).toBe(true);
    expect(missing.content).toMatch(/^HTTP 404 Not Found from /);
    expect(missing.content).toContain('No such page');
    const hang = await fetchPage({ url: `${base}/hang` }, ALLOW, { timeoutMs: 200 });
    expect(hang.isError).toBe(true);
    expect(hang.content).toContain('timed out after 0.2 s');
  });
});

describe('webfetch refusals', () => {
  it('refuses schemes other than http and https, and redirects to them', async () => {
    for (const url of ['file:///etc/passwd', 'ftp://example.com/file', 'data:text/plain,hello', 'javascript:alert(1)', 'gopher://example.com/']) {
      const result = await fetchPage({ url });
      expect(result.isError, url).toBe(true);
      expect(result.content, url).toContain('webfetch fetches only http:// and https:// URLs');
    }
    const redirect = await fetchPage({ url: `${base}/to-file` });
    expect(redirect.isError).toBe(true);
    expect(redirect.content).toContain('which is not http or https');
    expect((await fetchPage({ url: 'not a url' })).content).toContain('is not a valid absolute URL');
  });

  it('refuses private, loopback, link-local and mapped addresses by default, sending nothing', async () => {
    const port = new URL(base).port;
    const cases: [string, RegExp][] = [
      [`http://127.0.0.1:${port}/plain`, /127\.0\.0\.1 is a loopback address/],
      ['http://10.0.0.8/', /10\.0\.0\.8 is a private \(RFC 1918\) address/],
      ['http://169.254.169.254/latest/meta-data/', /169\.254\.169\.254 is a link-local address/],
      [`http://[::1]:${port}/plain`, /::1 is a loopback address/],
      [`http://[::ffff:127.0.0.1]:${port}/plain`, /::ffff:7f00:1 is the IPv4-mapped form of 127\.0\.0\.1, a loopback address/],
      [`http://localhost:${port}/plain`, /localhost resolves to (127\.0\.0\.1|::1), a loopback address/],
      [`http://0.0.0.0:${port}/plain`, /the unspecified address/],
      ['http://[fd00::1]/', /a unique-local/],
      ['http://100.64.1.1/', /carrier-grade NAT/],
    ];
    for (const [url, reason] of cases) {
      for (const web of [DEFAULTS, 'none'] as const) {
        const result = await fetchPage({ url }, web);
        expect(result.isError, url).toBe(true);
        expect(result.content, url).toMatch(reason);
        expect(result.content).toContain('moco.web.allowPrivateAddresses');
      }
    }
    expect(requests).toEqual([]);
  });

  it('checks every redirect hop: a public-looking host redirecting to a private address is refused at the hop', async () => {
    // public.test resolves to a public address that this test dials on 127.0.0.1 (no traffic leaves).
    const network: WebNetwork = {
      resolve: (hostname) => (hostname === 'public.test' ? Promise.resolve([{ address: '93.184.215.14', family: 4 }]) : systemNetwork.resolve(hostname)),
      dial: () => '127.0.0.1',
    };
    const port = new URL(base).port;
    const allowed = await fetchPage({ url: `http://public.test:${port}/plain` }, DEFAULTS, { network });
    expect(allowed.content).toContain('just text');
    for (const [route, reason] of [
      ['/to-private', /refused to fetch http:\/\/10\.1\.2\.3\/admin: 10\.1\.2\.3 is a private/],
      ['/to-loopback', /127\.0\.0\.1 is a loopback address/],
      ['/to-metadata', /169\.254\.169\.254 is a link-local address/],
    ] as const) {
      requests = [];
      const result = await fetchPage({ url: `http://public.test:${port}${route}` }, DEFAULTS, { network });
      expect(result.isError, route).toBe(true);
      expect(result.content, route).toMatch(reason);
      expect(requests).toEqual([route]);
    }
  });
});
