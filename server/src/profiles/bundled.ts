import * as path from 'node:path';

/**
 * The folder of the bundled profiles: `profiles/` beside `dist/` (where `dist/server.js` and
 * `dist/cli.js` run from), or `MOCO_BUNDLED_PROFILES_DIR`.
 */
export function bundledProfilesDir(): string {
  return process.env.MOCO_BUNDLED_PROFILES_DIR ?? path.resolve(__dirname, '..', 'profiles');
}
