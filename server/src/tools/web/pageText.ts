/**
 * A fetched body as text for the model: HTML made readable with Mozilla's Readability (the reader
 * view of Firefox) on a linkedom document, then turned into Markdown with turndown; when
 * Readability finds no article, the whole body is converted. Text types and JSON pass through;
 * other types (images, archives, PDFs...) are described, never shown as bytes.
 */
import { MIMEType } from 'node:util';
import { Readability } from '@mozilla/readability';
import { isBinaryFile } from 'isbinaryfile';
import { parseHTML } from 'linkedom';
import TurndownService from 'turndown';
import { formatBytes } from '../limits';

/** A page as text. */
export interface PageText {
  /** The article's or the document's title, for HTML. */
  title?: string;
  /** Markdown (HTML), the text itself, or a one-line description of binary content. */
  text: string;
  kind: 'html' | 'text' | 'binary';
}

/** Types that are text although not `text/*`. */
const TEXT_TYPES = new Set([
  'application/json',
  'application/xml',
  'application/javascript',
  'application/ecmascript',
  'application/x-javascript',
  'application/yaml',
  'application/x-yaml',
  'application/toml',
  'application/x-sh',
  'application/sql',
  'application/graphql',
  'application/x-ndjson',
  'application/ld+json',
]);

/**
 * Converts a body by its `Content-Type` (sniffed when there is none: HTML by its opening tag,
 * binary by isbinaryfile).
 *
 * @param url the page's final URL, against which relative links are made absolute.
 */
export async function pageText(body: Buffer, contentType: string | undefined, url: string): Promise<PageText> {
  const mime = parseMime(contentType);
  const essence = mime?.essence;
  const charset = mime?.params.get('charset') ?? undefined;
  const looksHtml = /^\s*(?:<!doctype html|<html|<head|<body)/i.test(body.subarray(0, 512).toString('latin1'));
  if (essence === 'text/html' || essence === 'application/xhtml+xml' || (!essence && looksHtml)) {
    const html = decode(body, charset ?? metaCharset(body));
    return { ...htmlToMarkdown(html, url), kind: 'html' };
  }
  const textual = essence !== undefined && (essence.startsWith('text/') || TEXT_TYPES.has(essence) || essence.endsWith('+json') || essence.endsWith('+xml'));
  if (textual || (!essence && body.length > 0 && !(await isBinaryFile(body)))) {
    return { text: decode(body, charset), kind: 'text' };
  }
  return { text: `[${essence ?? 'Binary content'}, ${formatBytes(body.length)}: not text, so not shown. Download it with a shell command if you need the bytes.]`, kind: 'binary' };
}

function parseMime(contentType: string | undefined): MIMEType | undefined {
  if (!contentType) return undefined;
  try {
    return new MIMEType(contentType);
  } catch {
    return undefined;
  }
}

/** `<meta charset="...">` or `<meta http-equiv content="...; charset=...">` in the first 2 KiB. */
function metaCharset(body: Buffer): string | undefined {
  const head = body.subarray(0, 2048).toString('latin1');
  return /<meta[^>]+charset\s*=\s*["']?([\w-]+)/i.exec(head)?.[1];
}

/** Text in `charset` (a WHATWG encoding label), UTF-8 when absent or unknown. */
function decode(body: Buffer, charset: string | undefined): string {
  try {
    return new TextDecoder(charset ?? 'utf-8').decode(body);
  } catch {
    return new TextDecoder('utf-8').decode(body);
  }
}

/** Elements that carry no readable text. */
const NOISE = ['script', 'style', 'noscript', 'template', 'svg', 'iframe', 'canvas'];

/** Readable Markdown of an HTML page, and its title. */
export function htmlToMarkdown(html: string, url: string): { title?: string; text: string } {
  const turndown = new TurndownService({ headingStyle: 'atx', codeBlockStyle: 'fenced', bulletListMarker: '-' });
  turndown.remove(NOISE as Parameters<TurndownService['remove']>[0]);
  const article = new Readability(documentOf(html, url) as ReadabilityDocument).parse();
  const articleText = article?.content ? turndown.turndown(article.content).trim() : '';
  if (article && articleText) {
    const title = article.title?.trim();
    return title ? { title, text: articleText } : { text: articleText };
  }
  // No article: the whole body (Readability changed the first document, so parse again).
  const document = documentOf(html, url);
  for (const element of document.querySelectorAll(NOISE.join(','))) element.remove();
  const title = document.title?.trim();
  const text = turndown.turndown(document.body?.innerHTML ?? html).trim();
  return title ? { title, text } : { text };
}

/** The DOM `Document` Readability takes (the server's types have no DOM; linkedom's document is one). */
type ReadabilityDocument = ConstructorParameters<typeof Readability>[0];

/** The parts of a DOM element used here (the server's TypeScript has no DOM types). */
interface PageElement {
  innerHTML: string;
  remove(): void;
  setAttribute(name: string, value: string): void;
  prepend(node: PageElement): void;
}

/** The parts of linkedom's DOM document used here. */
interface PageDocument {
  title: string;
  head: PageElement | null;
  body: PageElement | null;
  querySelector(selectors: string): PageElement | null;
  querySelectorAll(selectors: string): Iterable<PageElement>;
  createElement(tagName: string): PageElement;
}

/** A linkedom document of `html`, with a `<base>` so that relative links resolve against `url`. */
function documentOf(html: string, url: string): PageDocument {
  const { document } = parseHTML(html) as unknown as { document: PageDocument };
  if (!document.querySelector('base[href]') && document.head) {
    const base = document.createElement('base');
    base.setAttribute('href', url);
    document.head.prepend(base);
  }
  return document;
}
