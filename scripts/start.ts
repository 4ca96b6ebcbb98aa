/**
 * `npm start` (after scripts/start.sh has installed what it needs): starts a real VS Code
 * (code-server on 127.0.0.1) with the freshly packaged MOCO VSIX installed, on a sample workspace,
 * prints the URL and runs until Ctrl+C.
 *
 * Environment: MOCO_PORT (default 8080), MOCO_WORKSPACE (default a copy of the sample workspace in
 * .cache/sample-workspace), MOCO_CODE_SERVER (a version from test/e2e/code-server-releases.json;
 * default the newest).
 */
import { cp, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { launchCodeServer } from '../test/e2e/support/codeServer';
import { cacheDir, fixtureWorkspace, releasesUnderTest, vsixPath } from '../test/e2e/support/paths';

async function main(): Promise<void> {
  const wanted = process.env.MOCO_CODE_SERVER;
  const releases = releasesUnderTest();
  const release = wanted ? releases.find((r) => r.codeServer === wanted) : releases[0];
  if (!release) throw new Error(`MOCO_CODE_SERVER=${wanted} is not in test/e2e/code-server-releases.json.`);
  const port = Number(process.env.MOCO_PORT ?? 8080);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`MOCO_PORT must be a port number, got "${process.env.MOCO_PORT}".`);

  let workspace = process.env.MOCO_WORKSPACE;
  if (!workspace) {
    workspace = path.join(cacheDir, 'sample-workspace');
    if (!existsSync(workspace)) {
      await mkdir(path.dirname(workspace), { recursive: true });
      await cp(fixtureWorkspace, workspace, { recursive: true });
    }
  }
  const root = path.join(cacheDir, 'run');
  const server = await launchCodeServer({
    release,
    vsix: vsixPath(),
    workspace: path.resolve(workspace),
    copyWorkspace: false,
    label: 'start',
    root,
    port,
    logFile: path.join(root, 'code-server.log'),
  });
  console.log(`\nMOCO is running in VS Code ${release.vscode} (code-server ${release.codeServer}):\n\n  ${server.url}\n`);
  console.log(`Workspace: ${server.workspace ?? '(none)'}\nLogs: ${server.logFile}\nPress Ctrl+C to stop.`);
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void server.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`[moco] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
