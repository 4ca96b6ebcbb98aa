/**
 * The version of MOCO, taken from `package.json` at build time: esbuild and Vitest replace
 * `__MOCO_VERSION__` with it (see `esbuild.config.mjs` and `vitest.config.ts`).
 */
declare const __MOCO_VERSION__: string;

/** MOCO's version (semver), the same for the extension, the server and the CLI. */
export const mocoVersion: string = __MOCO_VERSION__;
