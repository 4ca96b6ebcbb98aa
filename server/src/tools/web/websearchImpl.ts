/**
 * `websearch` over a SearXNG-compatible JSON API (https://docs.searxng.org/dev/search_api.html):
 * `GET <endpoint>?q=<query>&format=json`, with `Authorization: Bearer <apiKey>` when a key is
 * configured, answering `{"results": [{"title", "url", "content"}, ...]}`. The endpoint is the
 * user's own setting, so it is not subject to webfetch's private-address refusal (a SearXNG on
 * localhost is a common set-up).
 */
import { errorResult, okResult } from '../results';
import type { ToolImplementation } from '../types';
import type { websearchParameters } from './definitions';
import { DEFAULT_MAX_RESPONSE_BYTES, WEBSEARCH_DEFAULT_RESULTS, WEBSEARCH_SNIPPET_CHARS, WEBSEARCH_TIMEOUT_MS } from './limits';

/** One result as the model sees it. */
interface SearchHit {
  title: string;
  url: string;
  snippet: string;
}

/**
 * Implementation of `websearch {query, max_results?}` with `context.services.web.search`. Without
 * an endpoint, an HTTP error, a body that is not the expected JSON or a time-out, the result says
 * so (the tool is only offered when an endpoint is configured: index.ts `webToolNames`).
 */
export function websearchImplementation(timeoutMs = WEBSEARCH_TIMEOUT_MS): ToolImplementation<typeof websearchParameters> {
  return async (args, context, signal) => {
    const search = context.services?.web?.search;
    if (!search?.url) return errorResult('No web search endpoint is configured (setting moco.web.search); websearch is unavailable. Use webfetch on a known URL instead.');
    let endpoint: URL;
    try {
      endpoint = new URL(search.url);
    } catch {
      return errorResult(`The configured web search endpoint ${JSON.stringify(search.url)} is not a valid URL; the user must fix the setting moco.web.search.`);
    }
    endpoint.searchParams.set('q', args.query);
    endpoint.searchParams.set('format', 'json');
    const headers: Record<string, string> = { accept: 'application/json' };
    if (search.apiKey) headers.authorization = `Bearer ${search.apiKey}`;
    const timeout = AbortSignal.timeout(timeoutMs);
    let text: string;
    let status: number;
    try {
      const response = await fetch(endpoint, { headers, signal: AbortSignal.any([signal, timeout]), redirect: 'follow' });
      status = response.status;
      text = await readCapped(response, context.services?.web?.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES);
    } catch (error) {
      signal.throwIfAborted();
      if (timeout.aborted) return errorResult(`the web search endpoint ${endpoint.host} did not answer within ${timeoutMs / 1000} s; try again later`, 'search timed out');
      const cause = (error as { cause?: { message?: string } }).cause?.message;
      return errorResult(`the web search endpoint ${endpoint.host} could not be reached (${cause ?? (error as Error).message}); try again later or use webfetch`);
    }
    if (status < 200 || status >= 300) {
      return errorResult(`the web search endpoint ${endpoint.host} answered HTTP ${status}${status === 401 || status === 403 ? ' (check the API key in moco.web.search)' : ''}: ${text.slice(0, 300)}`, `search failed: HTTP ${status}`);
    }
    const hits = parseHits(text);
    if (!hits) {
      return errorResult(`the web search endpoint ${endpoint.host} did not answer with SearXNG's JSON ({"results": [{"title", "url", "content"}]}); it began: ${text.slice(0, 200)}`, 'search answer malformed');
    }
    const shown = hits.slice(0, args.max_results ?? WEBSEARCH_DEFAULT_RESULTS);
    if (shown.length === 0) return okResult(`No results for ${JSON.stringify(args.query)}.`, 'no results');
    const lines = shown.map((hit, index) => `${index + 1}. ${hit.title}\n   ${hit.url}${hit.snippet ? `\n   ${hit.snippet}` : ''}`);
    return okResult(`Results for ${JSON.stringify(args.query)}:\n\n${lines.join('\n\n')}`, `${shown.length} results for ${args.query}`);
  };
}

/** The body as UTF-8 text, reading at most `maxBytes` (a longer one is cut, and then is not valid JSON). */
async function readCapped(response: Response, maxBytes: number): Promise<string> {
  if (!response.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  // Leaving the loop early cancels the stream.
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    chunks.push(chunk.subarray(0, Math.max(0, maxBytes - size)));
    size += chunk.length;
    if (size >= maxBytes) break;
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The results of a SearXNG JSON answer, or undefined when the body is not one. */
function parseHits(text: string): SearchHit[] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  const results = (parsed as { results?: unknown } | null)?.results;
  if (!Array.isArray(results)) return undefined;
  const hits: SearchHit[] = [];
  for (const result of results as unknown[]) {
    const { title, url, content } = (result ?? {}) as { title?: unknown; url?: unknown; content?: unknown };
    if (typeof url !== 'string') continue;
    const snippet = typeof content === 'string' ? content.replace(/\s+/g, ' ').trim() : '';
    hits.push({
      title: typeof title === 'string' && title.trim() ? title.trim() : url,
      url,
      snippet: snippet.length > WEBSEARCH_SNIPPET_CHARS ? `${snippet.slice(0, WEBSEARCH_SNIPPET_CHARS)}…` : snippet,
    });
  }
  return hits;
}
