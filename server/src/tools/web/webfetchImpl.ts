/** `webfetch`: a guarded GET (httpFetch.ts), the body as readable text (pageText.ts). */
import { formatBytes } from '../limits';
import { errorResult, okResult } from '../results';
import type { WebOptions } from '../services';
import type { ToolImplementation } from '../types';
import type { webfetchParameters } from './definitions';
import { guardedGet, systemNetwork, WebFetchError, type FetchedPage, type WebNetwork } from './httpFetch';
import { DEFAULT_MAX_RESPONSE_BYTES, WEBFETCH_MAX_TEXT_CHARS, WEBFETCH_TIMEOUT_MS } from './limits';
import { pageText } from './pageText';

/** The web settings when the services give none: private addresses refused, 5 MiB. */
export const DEFAULT_WEB_OPTIONS: Readonly<WebOptions> = Object.freeze({ allowPrivateAddresses: false, maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES });

/** What the implementation needs besides its arguments. Tests give their own network and time-out. */
export interface WebfetchDependencies {
  network?: WebNetwork;
  /** Default {@link WEBFETCH_TIMEOUT_MS}. */
  timeoutMs?: number;
}

/**
 * Implementation of `webfetch {url, max_bytes?}` with `context.services.web` (or
 * {@link DEFAULT_WEB_OPTIONS}). Refusals (scheme, address), HTTP errors, time-outs and network
 * failures are error results that say what happened.
 */
export function webfetchImplementation(dependencies: WebfetchDependencies = {}): ToolImplementation<typeof webfetchParameters> {
  const network = dependencies.network ?? systemNetwork;
  const timeoutMs = dependencies.timeoutMs ?? WEBFETCH_TIMEOUT_MS;
  return async (args, context, signal) => {
    let url: URL;
    try {
      url = new URL(args.url.trim());
    } catch {
      return errorResult(`${JSON.stringify(args.url)} is not a valid absolute URL; give one such as https://example.com/page`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      return errorResult(`webfetch fetches only http:// and https:// URLs, not ${url.protocol}; read local files with read_file`, `refused ${url.protocol} URL`);
    }
    const web = context.services?.web ?? DEFAULT_WEB_OPTIONS;
    const maxBytes = Math.min(args.max_bytes ?? web.maxResponseBytes, web.maxResponseBytes);
    const timeout = AbortSignal.timeout(timeoutMs);
    let page: FetchedPage;
    try {
      page = await guardedGet(url, { allowPrivateAddresses: web.allowPrivateAddresses, maxBytes, network }, AbortSignal.any([signal, timeout]));
    } catch (error) {
      signal.throwIfAborted();
      if (timeout.aborted) return errorResult(`fetching ${url.href} timed out after ${timeoutMs / 1000} s; try again later or another page`, 'timed out');
      if (error instanceof WebFetchError) return errorResult(error.message);
      throw error;
    }
    return describePage(args.url, page, maxBytes);
  };
}

async function describePage(asked: string, page: FetchedPage, maxBytes: number): Promise<ReturnType<typeof okResult>> {
  const converted = await pageText(page.body, page.contentType, page.url);
  const header = [
    ...(converted.title ? [`Title: ${converted.title}`] : []),
    `URL: ${page.url}${page.url !== new URL(asked.trim()).href ? ` (redirected from ${asked.trim()})` : ''}`,
    `Content-Type: ${page.contentType ?? 'not given'}`,
    `Size: ${formatBytes(page.body.length)}${page.truncated ? ` (cut: the response is longer than ${formatBytes(maxBytes)}, reading stopped there)` : ''}`,
  ];
  let text = converted.text;
  let cut = '';
  if (text.length > WEBFETCH_MAX_TEXT_CHARS) {
    cut = `\n\n[Text cut at ${WEBFETCH_MAX_TEXT_CHARS.toLocaleString('en-US')} of ${text.length.toLocaleString('en-US')} characters.]`;
    text = text.slice(0, WEBFETCH_MAX_TEXT_CHARS);
  }
  const content = `${header.join('\n')}\n\n${text}${cut}`;
  const host = new URL(page.url).host;
  if (page.status >= 400) {
    const excerpt = text.length > 2000 ? `${text.slice(0, 2000)}…` : text;
    return errorResult(`HTTP ${page.status} ${page.statusText} from ${page.url}; the page could not be fetched.\n\n${header.join('\n')}\n\n${excerpt}`, `HTTP ${page.status} from ${host}`);
  }
  return okResult(content, `fetched ${host} (${formatBytes(page.body.length)}, ${converted.kind})`);
}
