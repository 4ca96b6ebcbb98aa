import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { readManifest, repoRoot } from '../support/repo';

const run = promisify(execFile);
const cli = path.join(repoRoot, 'dist', 'cli.js');
const pkg = readManifest();

describe('the moco CLI', () => {
  it('`moco version` prints MOCO and Node versions', async () => {
    const { stdout } = await run(process.execPath, [cli, 'version']);
    expect(stdout.trim()).toBe(`moco ${pkg.version} (Node ${process.version}, ${process.platform}-${process.arch})`);
  });

  it('`moco --version` prints the bare version', async () => {
    const { stdout } = await run(process.execPath, [cli, '--version']);
    expect(stdout.trim()).toBe(pkg.version);
  });

  it('an unknown command fails with a message that names it and exit status 1', async () => {
    const failure = run(process.execPath, [cli, 'frobnicate']);
    await expect(failure).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining("unknown command 'frobnicate'") as unknown });
  });
});
