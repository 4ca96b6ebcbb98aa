// Lint rules, with zero warnings allowed (`npm run lint`). Besides typescript-eslint's checks, the
// `no-restricted-imports` zones keep the process boundaries of CONVENTIONS.md §1: only client/
// imports `vscode`; server/ never imports client/ or webview/; webview/ imports neither
// client/ nor server/; protocol/ imports none of them.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const vscodeBan = { name: 'vscode', message: 'Only client/ may import the vscode module.' };
// Scoped packages are never project folders (`@modelcontextprotocol/sdk/client/...` is allowed).
const zone = (folder, why) => ({ group: [`**/${folder}/*`, `**/${folder}/**`, '!@*/**'], message: why });

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', '.cache/**', 'node_modules/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['server/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [vscodeBan],
        patterns: [zone('client', 'server/ must not import client/ code.'), zone('webview', 'server/ must not import webview/ code.')],
      }],
    },
  },
  {
    files: ['webview/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', {
        paths: [vscodeBan, { name: 'vscode-jsonrpc', message: 'The webview speaks postMessage, not JSON-RPC.' }],
        patterns: [zone('client', 'webview/ must not import client/ code.'), zone('server', 'webview/ must not import server/ code.'), { group: ['node:*'], message: 'The webview runs in a browser iframe.' }],
      }],
    },
  },
  {
    files: ['protocol/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [vscodeBan],
        patterns: [zone('client', 'protocol/ imports none of client, server, webview.'), zone('server', 'protocol/ imports none of client, server, webview.'), zone('webview', 'protocol/ imports none of client, server, webview.'), { group: ['node:*'], message: 'protocol/ is common code: no Node types.' }],
      }],
    },
  },
  {
    files: ['client/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [zone('server', 'client/ talks to the server over JSON-RPC only; share types through protocol/.'), zone('webview', 'client/ talks to the webview through postMessage only.')],
      }],
    },
  },
);
