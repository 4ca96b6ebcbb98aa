// Bundles the four entry points (CONVENTIONS.md §11). `node esbuild.config.mjs [--watch] [--production]`.
import * as esbuild from 'esbuild';
import { copyFile, mkdir, readFile } from 'node:fs/promises';

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
 * Keeps `client/src/languageClientNode.ts` out of `client.js`: the client requires
 * `./languageClientNode.js` from `dist/` when it first starts the server.
 * @type {import('esbuild').Plugin}
 */
const lazyLanguageClient = {
  name: 'lazy-language-client',
  setup(build) {
    build.onResolve({ filter: /^\.\/languageClientNode\.js$/ }, (args) =>
      args.importer.endsWith('languageClient.ts') ? { path: './languageClientNode.js', external: true } : undefined,
    );
  },
};

/** @type {import('esbuild').BuildOptions[]} */
const builds = [
  {
    ...common,
    entryPoints: { client: 'client/src/extension.ts', languageClientNode: 'client/src/languageClientNode.ts' },
    platform: 'node',
    format: 'cjs',
    target: 'node22.13',
    external: ['vscode'],
    plugins: [lazyLanguageClient],
    outdir: 'dist',
  },
  {
    ...common,
    entryPoints: { server: 'server/src/server.ts', cli: 'server/src/cli.ts' },
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
];

await mkdir('dist', { recursive: true });
await copyFile('webview/src/styles.css', 'dist/webview.css');

if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
  console.log('esbuild: watching for changes…');
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
