/** The typed contract between client, server and webview. Imports none of them. */
export * from './errors';
export * from './ids';
export * from './server';
export * from './webview';
