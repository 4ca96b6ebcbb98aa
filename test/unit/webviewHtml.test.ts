import { describe, expect, it } from 'vitest';
import { renderWebviewHtml } from '../../client/src/views/webviewHtml';

const options = {
  cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.js',
  styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.css',
  title: 'MOCO <Chat>',
};

function csp(html: string): string {
  const match = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error('no CSP meta tag');
  return match[1];
}

describe('the webview HTML shell', () => {
  it('has a strict CSP: nothing by default, scripts only with the nonce, no unsafe-*', () => {
    const html = renderWebviewHtml({ ...options, nonce: 'abc123' });
    const policy = csp(html);
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("script-src 'nonce-abc123'");
    expect(policy).not.toContain('unsafe-inline');
    expect(policy).not.toContain('unsafe-eval');
  });

  it('has no inline script: every script tag loads a file and carries the nonce', () => {
    const html = renderWebviewHtml({ ...options, nonce: 'abc123' });
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts).toHaveLength(1);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toContain(`src="${options.scriptUri}"`);
      expect(attributes).toContain('nonce="abc123"');
      expect(body?.trim()).toBe('');
    }
  });

  it('uses a fresh random nonce on each render', () => {
    const nonces = new Set(
      Array.from({ length: 5 }, () => /'nonce-([^']+)'/.exec(csp(renderWebviewHtml(options)))?.[1]),
    );
    expect(nonces.size).toBe(5);
  });

  it('escapes the title', () => {
    expect(renderWebviewHtml(options)).toContain('<title>MOCO &#60;Chat&#62;</title>');
  });
});
