import { once } from 'node:events';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ErrorCodes,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  ShutdownRequest,
} from 'vscode-languageserver/node';
import { MocoErrorCodes } from '../../protocol/errors';
import {
  DidChangeStatusNotification,
  HealthRequest,
  type ServerStatusParams,
} from '../../protocol/server';
import { readManifest } from '../support/repo';
import { initializeParams, startServer, type RunningServer } from '../support/serverProcess';

const pkg = readManifest();

describe('the server process over JSON-RPC (IPC)', () => {
  let dir: string;
  let server: RunningServer;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'moco-server-'));
    server = startServer();
  });

  afterEach(async () => {
    await server.kill();
    await rm(dir, { recursive: true, force: true });
  });

  it('initialises, reports ready, and answers server/health with its real identity', async () => {
    const storagePath = path.join(dir, 'nested', 'storage');
    const ready = new Promise<ServerStatusParams>((resolve) => {
      server.connection.onNotification(DidChangeStatusNotification, resolve);
    });
    const result = await server.connection.sendRequest(InitializeRequest.type, initializeParams(storagePath));
    expect(result.serverInfo).toEqual({ name: 'moco', version: pkg.version });

    await server.connection.sendNotification(InitializedNotification.type, {});
    const status = await ready;
    expect(status.state).toBe('ready');
    expect(status.health.pid).toBe(server.child.pid);

    const health = await server.connection.sendRequest(HealthRequest);
    expect(health.version).toBe(pkg.version);
    expect(health.pid).toBe(server.child.pid);
    expect(health.nodeVersion).toBe(process.version);
    expect(health.storagePath).toBe(storagePath);
    expect(health.uptimeMs).toBeGreaterThan(0);
    expect(health.rssBytes).toBeGreaterThan(1024 * 1024);
    expect(Date.parse(health.startedAt)).toBeLessThanOrEqual(Date.now());
    // The storage folder was created, and the write probe removed. (The engine and its database
    // are opened on the first request that needs them, not at start-up.)
    expect(await readdir(storagePath)).toEqual([]);
  });

  it('reports failed, with the folder, the reason and the fix, when its storage cannot be written', async () => {
    const blocked = path.join(dir, 'storage');
    await writeFile(blocked, 'a file where the folder should be');
    const status = new Promise<ServerStatusParams>((resolve) => {
      server.connection.onNotification(DidChangeStatusNotification, resolve);
    });
    await server.connection.sendRequest(InitializeRequest.type, initializeParams(blocked));
    await server.connection.sendNotification(InitializedNotification.type, {});
    const { state, failure, health } = await status;
    expect(state).toBe('failed');
    expect(health.pid).toBe(server.child.pid);
    expect(failure).toMatchObject({
      code: MocoErrorCodes.StorageUnavailable,
      data: { storagePath: blocked, errno: expect.stringMatching(/^(ENOTDIR|EEXIST)$/) as unknown },
    });
    expect(failure?.message).toMatch(/storage folder .*storage.*a file stands where the folder should be.*Restart Server/);
  });

  it('refuses server/health before initialize with LSP\'s ServerNotInitialized', async () => {
    await expect(server.connection.sendRequest(HealthRequest)).rejects.toMatchObject({
      code: ErrorCodes.ServerNotInitialized,
    });
  });

  it('rejects initialize without a storage path as invalid params', async () => {
    const params = { ...initializeParams(dir), initializationOptions: {} };
    await expect(server.connection.sendRequest(InitializeRequest.type, params)).rejects.toMatchObject({
      code: -32602,
      message: expect.stringContaining('storagePath') as unknown,
    });
  });

  it('exits cleanly after shutdown and exit', async () => {
    await server.connection.sendRequest(InitializeRequest.type, initializeParams(dir));
    await server.connection.sendNotification(InitializedNotification.type, {});
    const stopping = new Promise<ServerStatusParams>((resolve) => {
      server.connection.onNotification(DidChangeStatusNotification, (params) => {
        if (params.state === 'stopping') resolve(params);
      });
    });
    await server.connection.sendRequest(ShutdownRequest.type);
    expect((await stopping).state).toBe('stopping');
    const exited = once(server.child, 'exit');
    await server.connection.sendNotification(ExitNotification.type);
    const [code] = (await exited) as [number | null];
    expect(code).toBe(0);
  });
});
