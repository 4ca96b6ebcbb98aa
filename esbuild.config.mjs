// Bundles the four entry points (CONVENTIONS.md §11). `node esbuild.config.mjs [--watch] [--production]`.
import * as esbuild from 'esbuild';
import { copyFile, mkdir, readFile, rm } from 'node:fs/promises';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const pkg = JSON.parse(await readFile(new URL('./package.json', import.meta.url), 'utf8'));

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  logLevel: 'warning',
  define: { __MOCO_VERSION__: JSON.stringify(pkg.version) },
  legalComments: 'linked',
};

/**
 * Leaves `import('gpt-tokenizer')` and the server's `import('../engine/index')` out of a bundle:
 * they load `dist/tokenizer.js` and `dist/engine.js` at run time.
 */
const tokenizerApart = {
  name: 'tokenizer-apart',
  setup(build) {
    build.onResolve({ filter: /^gpt-tokenizer$/ }, () => ({ path: './tokenizer.js', external: true }));
    // The server's only import of the engine (handlers/engineHost.ts) loads dist/engine.js.
    build.onResolve({ filter: /^\.\.\/engine\/index$/ }, () => ({ path: './engine.js', external: true }));
  },
};

/** @type {import('esbuild').BuildOptions[]} */
const builds = [
  {
    ...common,
    entryPoints: { client: 'client/src/extension.ts' },
    platform: 'node',
    format: 'cjs',
    target: 'node22.13',
    external: ['vscode'],
    // The time the bundle starts to run, for the "bundle evaluated in" log line.
    banner: { js: 'var __mocoLoadStart = performance.now();' },
    outdir: 'dist',
  },
  {
    ...common,
    entryPoints: { server: 'server/src/server.ts', cli: 'server/src/cli.ts', engine: 'server/src/engine/index.ts' },
    platform: 'node',
    format: 'cjs',
    target: 'node22.13',
    // ESM-only dependencies (fdir via tinyglobby, log-update) read import.meta.url, which a CJS
    // bundle lacks: give them the bundle's own URL.
    define: { ...common.define, 'import.meta.url': '__mocoImportMetaUrl' },
    banner: { js: "var __mocoImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
    plugins: [tokenizerApart],
    // ssh2 (under dockerode) tries its optional native crypto addons inside try/catch and falls
    // back to JavaScript: they stay out of the bundle.
    external: ['*.node'],
    // jsonc-parser's `main` is a UMD build whose factory requires its parts at run time, which a
    // bundle cannot follow: take its ES module build.
    alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' },
    outdir: 'dist',
  },
  {
    // gpt-tokenizer's encoding is 4 MB of data: compiling it took 200 ms of the server's start
    // and 40 MB of its memory. It lives in its own file, loaded on first use (providers/models.ts).
    ...common,
    entryPoints: { tokenizer: 'node_modules/gpt-tokenizer/esm/main.js' },
    platform: 'node',
    format: 'cjs',
    target: 'node22.13',
    outdir: 'dist',
  },
  {
    ...common,
    entryPoints: { webview: 'webview/src/main.ts' },
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    outdir: 'dist',
  },
  {
    // The Chat view's styles with the codicons (@vscode/codicons' CSS inlined, its font as
    // dist/codicon.ttf): one stylesheet, so the webview shell links only dist/webview.css.
    ...common,
    entryPoints: { webview: 'webview/src/styles.css' },
    loader: { '.ttf': 'file' },
    assetNames: '[name]',
    outdir: 'dist',
  },
];

// A fresh dist/, so that no file of an earlier build is packaged.
await rm('dist', { recursive: true, force: true });
await mkdir('dist', { recursive: true });

// The tree-sitter runtime and grammars (server/src/treeSitter/index.ts: BUNDLED_GRAMMARS) beside
// the bundles, as dist/tree-sitter/*.wasm.
const grammars = ['bash', 'typescript', 'tsx', 'javascript', 'python', 'go', 'rust', 'java'];
await mkdir('dist/tree-sitter', { recursive: true });
const wasm = 'node_modules/@vscode/tree-sitter-wasm/wasm';
await Promise.all(
  ['tree-sitter.wasm', ...grammars.map((name) => `tree-sitter-${name}.wasm`)].map((file) => copyFile(`${wasm}/${file}`, `dist/tree-sitter/${file}`)),
);

if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
  console.log('esbuild: watching for changes…');
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
