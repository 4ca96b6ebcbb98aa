/**
 * `vscode-languageclient/node`, bundled on its own into `dist/languageClientNode.js`.
 * `client.js` loads it on the server's first start (see `languageClient.ts`), so that activating
 * the extension neither parses nor evaluates it (esbuild.config.mjs keeps it external).
 */
export * from 'vscode-languageclient/node';
