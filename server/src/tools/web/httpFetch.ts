/**
 * One guarded GET for `webfetch`: http(s) only, every hop's host checked (addressPolicy.ts) before
 * connecting, redirects followed by hand (at most {@link MAX_REDIRECTS}), the socket pinned to the
 * addresses that were checked (so a DNS answer cannot change between the check and the
 * connection), the body decompressed and read up to a byte cap.
 */
import type { LookupAddress } from 'node:dns';
import { lookup as dnsLookup } from 'node:dns/promises';
import * as http from 'node:http';
import * as https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { pipeline, type Readable } from 'node:stream';
import * as zlib from 'node:zlib';
import { describeRange, refusedRange } from './addressPolicy';

/** Redirects followed before giving up: a real page needs one or two (http → https, a trailing slash). */
export const MAX_REDIRECTS = 5;

/** How a request reaches the network. Tests give their own; the default is the system's DNS. */
export interface WebNetwork {
  /** Every address of a host name (`dns.lookup` with `all: true`). */
  resolve(hostname: string): Promise<LookupAddress[]>;
  /**
   * The address dialled for an address that passed the check: itself, except in tests, which
   * point a public-looking address at a server on 127.0.0.1.
   */
  dial?(address: string): string;
}

/** The system's DNS, as `fetch` and `http.get` use it. */
export const systemNetwork: WebNetwork = { resolve: (hostname) => dnsLookup(hostname, { all: true, verbatim: true }) };

/** What {@link guardedGet} needs besides the URL. */
export interface GetOptions {
  allowPrivateAddresses: boolean;
  /** Bytes of (decompressed) body read before reading stops. */
  maxBytes: number;
  network: WebNetwork;
}

/** A response whose body was read. */
export interface FetchedPage {
  /** The URL after redirects. */
  url: string;
  status: number;
  statusText: string;
  /** The `Content-Type` header, if any. */
  contentType?: string;
  body: Buffer;
  /** True when the body was longer than `maxBytes` and reading stopped there. */
  truncated: boolean;
}

/** A refusal or failure with a message for the model (not an abort). */
export class WebFetchError extends Error {
  override readonly name = 'WebFetchError';
}

/**
 * GETs `url`, following redirects.
 *
 * @throws {WebFetchError} for a scheme other than http(s), a refused address (at any hop), too
 *   many redirects, a host that does not resolve, or a network error; `signal.reason` when
 *   `signal` aborts (a time-out is the caller's signal too).
 */
export async function guardedGet(url: URL, options: GetOptions, signal: AbortSignal): Promise<FetchedPage> {
  let current = url;
  for (let hop = 0; ; hop++) {
    const addresses = await checkedAddresses(current, options, signal);
    const response = await send(current, addresses, options.network, signal);
    const status = response.statusCode ?? 0;
    const location = response.headers.location;
    if (status >= 300 && status < 400 && location) {
      response.destroy();
      if (hop >= MAX_REDIRECTS) throw new WebFetchError(`more than ${MAX_REDIRECTS} redirects, the last to ${location}; fetch the final page's URL directly`);
      let next: URL;
      try {
        next = new URL(location, current);
      } catch {
        throw new WebFetchError(`${current.href} redirects to ${JSON.stringify(location)}, which is not a valid URL`);
      }
      if (next.protocol !== 'http:' && next.protocol !== 'https:') {
        throw new WebFetchError(`${current.href} redirects to ${next.href}, which is not http or https; webfetch follows only http(s) redirects`);
      }
      current = next;
      continue;
    }
    const { body, truncated } = await readBody(response, options.maxBytes, signal);
    const page: FetchedPage = { url: current.href, status, statusText: response.statusMessage ?? '', body, truncated };
    const contentType = response.headers['content-type'];
    if (contentType) page.contentType = contentType;
    return page;
  }
}

/**
 * The addresses of the URL's host, every one checked; undefined for an IP literal (checked here,
 * and not looked up).
 * @throws {WebFetchError} naming the address and its range when one is refused.
 */
async function checkedAddresses(url: URL, options: GetOptions, signal: AbortSignal): Promise<LookupAddress[] | undefined> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const refuse = (address: string, range: string, resolved: boolean): never => {
    throw new WebFetchError(
      `refused to fetch ${url.href}: ${resolved ? `${host} resolves to ${address}, ` : `${address} is `}${describeRange(range)}. ` +
        'webfetch reaches only public addresses; the user can allow private ones with the setting moco.web.allowPrivateAddresses',
    );
  };
  if (isIP(host)) {
    const range = refusedRange(host);
    if (range && !options.allowPrivateAddresses) refuse(host, range, false);
    return undefined;
  }
  let addresses: LookupAddress[];
  try {
    addresses = await abortable(options.network.resolve(host), signal);
  } catch (error) {
    signal.throwIfAborted();
    throw new WebFetchError(`the host ${host} could not be resolved (${(error as Error).message}); check the URL`);
  }
  if (addresses.length === 0) throw new WebFetchError(`the host ${host} has no address; check the URL`);
  if (!options.allowPrivateAddresses) {
    for (const { address } of addresses) {
      const range = refusedRange(address);
      if (range) refuse(address, range, true);
    }
  }
  return addresses;
}

/** Rejects with the signal's reason when it aborts first. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** A `lookup` that answers with the checked addresses only (dialled through `network.dial`). */
function pinnedLookup(addresses: LookupAddress[], network: WebNetwork): LookupFunction {
  return (_hostname, lookupOptions, callback) => {
    const dial = (address: string): string => (network.dial ? network.dial(address) : address);
    const wanted = addresses.filter((entry) => !lookupOptions.family || entry.family === lookupOptions.family);
    const list = (wanted.length > 0 ? wanted : addresses).map((entry) => ({ address: dial(entry.address), family: isIP(dial(entry.address)) || entry.family }));
    if (lookupOptions.all) callback(null, list);
    else callback(null, list[0]?.address ?? '', list[0]?.family ?? 4);
  };
}

/** Request headers: a browser-like Accept, compressed bodies welcome. */
const HEADERS = {
  'user-agent': 'Mozilla/5.0 (compatible; MOCO webfetch)',
  accept: 'text/html,application/xhtml+xml,text/markdown;q=0.9,text/plain;q=0.9,application/json;q=0.8,*/*;q=0.5',
  'accept-encoding': 'gzip, deflate, br',
};

function send(url: URL, addresses: LookupAddress[] | undefined, network: WebNetwork, signal: AbortSignal): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    // No agent: a pooled keep-alive socket could lead to an address checked under other settings.
    const options: https.RequestOptions = { method: 'GET', headers: HEADERS, signal, agent: false };
    if (addresses) options.lookup = pinnedLookup(addresses, network);
    const request = (url.protocol === 'https:' ? https : http).request(url, options, resolve);
    request.once('error', (error) => {
      if (signal.aborted) reject(signal.reason as Error);
      else reject(new WebFetchError(`the request to ${url.href} failed (${error.message})`));
    });
    request.end();
  });
}

/**
 * The body, decompressed (gzip, deflate, br), cut at `maxBytes`: reading stops there and the
 * connection is closed.
 */
async function readBody(response: http.IncomingMessage, maxBytes: number, signal: AbortSignal): Promise<{ body: Buffer; truncated: boolean }> {
  const encoding = String(response.headers['content-encoding'] ?? '').trim().toLowerCase();
  const decoder =
    encoding === 'gzip' || encoding === 'x-gzip' ? zlib.createGunzip() : encoding === 'deflate' ? zlib.createInflate() : encoding === 'br' ? zlib.createBrotliDecompress() : undefined;
  const stream: Readable = decoder ? pipeline(response, decoder, () => undefined) : response;
  const chunks: Buffer[] = [];
  let size = 0;
  let truncated = false;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (size + chunk.length > maxBytes) {
        chunks.push(chunk.subarray(0, maxBytes - size));
        size = maxBytes;
        truncated = true;
        break;
      }
      chunks.push(chunk);
      size += chunk.length;
    }
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    throw new WebFetchError(`reading the response failed (${(error as Error).message})`);
  } finally {
    response.destroy();
    decoder?.destroy();
  }
  return { body: Buffer.concat(chunks, size), truncated };
}
