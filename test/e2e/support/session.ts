/**
 * One VS Code session per test: `useVsCode(label)` registers the clean-up (a screenshot if the
 * test failed, then the browser and code-server stopped) and returns `open`, which installs the
 * VSIX into a fresh code-server, opens it in Chromium and waits for the workbench.
 */
import { afterEach } from 'vitest';
import { openBrowser, type Browser } from './browser';
import { launchCodeServer, type CodeServer, type CodeServerOptions } from './codeServer';
import { screenshotIfFailed } from './failure';
import { extensionId, vsixPath } from './paths';
import { Workbench } from './workbench';

export interface VsCodeSession {
  server: CodeServer;
  workbench: Workbench;
}

export function useVsCode(label: string): (options: Omit<CodeServerOptions, 'vsix' | 'label'>) => Promise<VsCodeSession> {
  let server: CodeServer | undefined;
  let browser: Browser | undefined;

  afterEach(async (context) => {
    await screenshotIfFailed(context, browser?.page, label);
    await browser?.close();
    await server?.stop();
    browser = undefined;
    server = undefined;
  });

  return async (options) => {
    if (server) throw new Error('useVsCode: one VS Code per test.');
    server = await launchCodeServer({ ...options, vsix: vsixPath(), label });
    browser = await openBrowser(server.url);
    const workbench = new Workbench(browser.page, extensionId());
    await workbench.ready();
    return { server, workbench };
  };
}
