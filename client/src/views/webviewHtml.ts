/**
 * The HTML shell of MOCO's webviews: a strict Content-Security-Policy with a per-load nonce, no
 * inline script, styles and scripts only from the extension's `dist/` folder.
 */
import { randomBytes } from 'node:crypto';

/** What the shell needs; all URIs are already `asWebviewUri` strings. */
export interface WebviewHtmlOptions {
  /** `webview.cspSource`: the origin the webview may load resources from. */
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  title: string;
  /** Defaults to 16 random bytes in base64; tests pass a fixed one. */
  nonce?: string;
}

/** Returns the document. Lit's constructable stylesheets need no `unsafe-inline`. */
export function renderWebviewHtml(options: WebviewHtmlOptions): string {
  const nonce = options.nonce ?? randomBytes(16).toString('base64');
  const csp = [
    "default-src 'none'",
    `style-src ${options.cspSource} 'nonce-${nonce}'`,
    `font-src ${options.cspSource}`,
    `img-src ${options.cspSource} data:`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" nonce="${nonce}" href="${options.styleUri}">
<title>${escapeHtml(options.title)}</title>
</head>
<body>
<main id="app"></main>
<script nonce="${nonce}" src="${options.scriptUri}"></script>
</body>
</html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
