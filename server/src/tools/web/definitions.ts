/**
 * Definitions of the web tools, with MOCO's names: `webfetch` and `websearch`. Implementations:
 * webfetchImpl.ts, websearchImpl.ts.
 */
import { z } from 'zod';
import type { ToolDefinition } from '../types';
import { WEBFETCH_MAX_TEXT_CHARS, WEBSEARCH_DEFAULT_RESULTS, WEBSEARCH_MAX_RESULTS } from './limits';

/** Arguments of `webfetch`. */
export const webfetchParameters = z.object({
  url: z.string().min(1).describe('The http:// or https:// URL of the page to fetch.'),
  max_bytes: z.int().min(1).optional().describe('Bytes of the response to read at most; lower than the configured cap only. Default: the cap (5 MiB unless configured).'),
});

/** `webfetch {url, max_bytes?}`. */
export const webfetchDefinition: ToolDefinition<typeof webfetchParameters> = {
  name: 'webfetch',
  description:
    'Fetch a web page over HTTP(S) and return it as readable text: HTML pages as Markdown of their main article (menus, scripts and ' +
    'ads removed), text and JSON as they are; images and other binary content are only described. Redirects are followed (up to 5). ' +
    'Private, loopback and link-local addresses are refused unless the user allows them. ' +
    `The result gives the title, the final URL and the content type, and at most ${WEBFETCH_MAX_TEXT_CHARS.toLocaleString('en-US')} characters of text.`,
  parameters: webfetchParameters,
};

/** Arguments of `websearch`. */
export const websearchParameters = z.object({
  query: z.string().min(1).describe('What to search the web for, as you would type it into a search engine.'),
  max_results: z
    .int()
    .min(1)
    .max(WEBSEARCH_MAX_RESULTS)
    .optional()
    .describe(`Results to return (1–${WEBSEARCH_MAX_RESULTS}). Default ${WEBSEARCH_DEFAULT_RESULTS}.`),
});

/** `websearch {query, max_results?}`. */
export const websearchDefinition: ToolDefinition<typeof websearchParameters> = {
  name: 'websearch',
  description:
    "Search the web with the search engine the user configured (a SearXNG-compatible JSON API: GET <endpoint>?q=<query>&format=json). " +
    'Each result comes back with its title, URL and a snippet; read a page with webfetch.',
  parameters: websearchParameters,
};
