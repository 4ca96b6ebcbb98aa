/** The repository's root and its `package.json` (the extension manifest), for tests. */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

export const repoRoot = path.resolve(__dirname, '../..');

/** The fields of `package.json` tests read; the rest is typed by the tests that need it. */
export interface PackageManifest {
  name: string;
  publisher: string;
  version: string;
  [key: string]: unknown;
}

/** Reads `package.json` afresh. */
export function readManifest(): PackageManifest {
  return JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as PackageManifest;
}
