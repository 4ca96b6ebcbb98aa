// A real Chromium page with the Chat webview's code loaded, for what happy-dom cannot show
// truthfully: DOMPurify does not support happy-dom (its sanitiser leaves scripts and
// `javascript:` links there, https://github.com/cure53/DOMPurify/issues/1457), so the hostile
// Markdown tests run in the engine VS Code's webviews use. Debian's Chromium, driven by
// playwright-core, as the end-to-end tests do (`npm test` installs it).
import { build } from 'esbuild';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

const root = path.resolve(import.meta.dirname, '../..');
const executablePath = process.env.MOCO_CHROMIUM ?? '/usr/bin/chromium';
const args = ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** A page whose `window.moco` holds `renderMarkdown` and `ChatApp` of webview/src. */
export interface WebviewPage {
  page: Page;
  close(): Promise<void>;
}

/** Bundles the webview's modules, opens them in headless Chromium on an empty `<main id="app">`. */
export async function openWebviewPage(): Promise<WebviewPage> {
  const bundle = await build({
    stdin: {
      contents: [
        "import { renderMarkdown } from './webview/src/components/markdown';",
        "import { ChatApp } from './webview/src/app';",
        'Object.assign(window, { moco: { renderMarkdown, ChatApp } });',
      ].join('\n'),
      resolveDir: root,
      loader: 'ts',
    },
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    logLevel: 'silent',
  });
  const browser: Browser = await chromium.launch({ executablePath, headless: true, args });
  try {
    const page = await browser.newPage();
    await page.setContent('<!DOCTYPE html><html><body><main id="app"></main></body></html>');
    await page.addScriptTag({ content: bundle.outputFiles[0]?.text ?? '' });
    return { page, close: () => browser.close() };
  } catch (error) {
    await browser.close();
    throw error;
  }
}
