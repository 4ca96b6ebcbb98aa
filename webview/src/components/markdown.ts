/**
 * Markdown from a model, rendered with `marked` and sanitised with DOMPurify before it reaches
 * the document: no scripts, event handlers, styles, frames, forms or SVG; links only to
 * `http:`, `https:` and `mailto:`; images become links (the webview's CSP would block them
 * anyway). Code blocks get Copy and Insert at Cursor buttons, which the view handles by
 * delegation (`data-action="code-copy" | "code-insert"`).
 */
import createDOMPurify, { type DOMPurify } from 'dompurify';
import { Marked } from 'marked';
import { button, el } from './dom';

const marked = new Marked({
  gfm: true,
  breaks: false,
  async: false,
  renderer: {
    // An image becomes a link to it: remote images are blocked by the CSP, and a model's image
    // could be a tracking pixel.
    image({ href, text }) {
      return `<a href="${escapeAttribute(href)}">${escapeText(text || href)}</a>`;
    },
  },
});

const SAFE_LINK = /^(?:https?:|mailto:)/i;

let purifier: DOMPurify | undefined;

/**
 * The sanitiser, configured once (`setConfig`: parsing the config on every call doubled the
 * cost of opening a long session).
 */
function purify(): DOMPurify {
  if (purifier) return purifier;
  const p = createDOMPurify(window);
  p.setConfig({
    USE_PROFILES: { html: true },
    FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'option', 'iframe', 'frame', 'object', 'embed', 'img', 'video', 'audio', 'source', 'picture', 'link', 'meta', 'base', 'dialog', 'template'],
    FORBID_ATTR: ['style', 'id', 'name', 'srcset', 'action', 'formaction', 'background'],
    ALLOW_DATA_ATTR: false,
    ALLOWED_URI_REGEXP: SAFE_LINK,
    RETURN_DOM_FRAGMENT: true,
  });
  p.addHook('afterSanitizeAttributes', (node) => {
    if (node.nodeName !== 'A') return;
    const href = node.getAttribute('href');
    if (href === null || !SAFE_LINK.test(href.trim())) node.removeAttribute('href');
    else node.setAttribute('rel', 'noopener noreferrer');
    node.removeAttribute('target');
  });
  // Classes only on code (its `language-*`): model HTML must not borrow the view's own classes.
  p.addHook('uponSanitizeAttribute', (node, data) => {
    if (data.attrName === 'class' && node.nodeName !== 'CODE') data.keepAttr = false;
  });
  purifier = p;
  return p;
}

/**
 * Renders model Markdown into a sanitised fragment. Raw HTML in the Markdown goes through the
 * same sanitiser; HTML inside code spans and blocks stays text.
 */
export function renderMarkdown(markdown: string): DocumentFragment {
  const html = marked.parse(markdown) as string;
  const clean: unknown = purify().sanitize(html);
  // With RETURN_DOM_FRAGMENT set, a string would mean the config was lost: show plain text then.
  const fragment = clean instanceof DocumentFragment ? clean : plainText(markdown);
  decorateCodeBlocks(fragment);
  return fragment;
}

function plainText(text: string): DocumentFragment {
  const fragment = document.createDocumentFragment();
  const p = el('p', undefined, text);
  fragment.append(p);
  return fragment;
}

/** Replaces an element's content with rendered Markdown. */
export function renderMarkdownInto(target: HTMLElement, markdown: string): void {
  target.replaceChildren(renderMarkdown(markdown));
}

/** Wraps each `<pre>` in a block with a toolbar: Copy, Insert at Cursor. */
function decorateCodeBlocks(fragment: DocumentFragment): void {
  for (const pre of Array.from(fragment.querySelectorAll('pre'))) {
    const block = el('div', 'code-block');
    const code = pre.querySelector('code');
    const language = /language-([\w+#.-]+)/.exec(code?.getAttribute('class') ?? '')?.[1];
    const toolbar = el('div', 'code-toolbar');
    toolbar.append(
      el('span', 'code-language', language ?? ''),
      codeButton('code-copy', 'Copy', 'copy'),
      codeButton('code-insert', 'Insert at Cursor', 'insert'),
    );
    pre.replaceWith(block);
    block.append(toolbar, pre);
  }
}

function codeButton(action: string, label: string, iconName: string): HTMLButtonElement {
  const node = button(label, 'icon', iconName);
  node.dataset.action = action;
  return node;
}

/** The code of the block a Copy or Insert button belongs to. */
export function codeOfButton(button: Element): string | undefined {
  return button.closest('.code-block')?.querySelector('pre')?.textContent ?? undefined;
}

function escapeText(text: string): string {
  return text.replace(/[&<>]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function escapeAttribute(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
