import {
  ResponseError,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import {
  MocoErrorCodes,
  type StorageUnavailableData,
} from '../../../protocol/errors';
import type { ServerFailure, ServerInitializationOptions } from '../../../protocol/server';
import { ensureWritableDir, StorageUnavailableError } from '../storage/storageDir';
import { mocoVersion } from '../version';

/**
 * Reads and checks `initializationOptions`.
 *
 * @throws {ResponseError} with code `InvalidParams` (-32602) when `storagePath` is missing.
 */
export function parseInitializationOptions(value: unknown): ServerInitializationOptions {
  const options = (value ?? {}) as Partial<ServerInitializationOptions>;
  if (typeof options.storagePath !== 'string' || options.storagePath === '') {
    throw new ResponseError(
      -32602,
      'initializationOptions.storagePath is missing: the client must say where the server keeps its state.',
    );
  }
  return {
    storagePath: options.storagePath,
    clientVersion: typeof options.clientVersion === 'string' ? options.clientVersion : 'unknown',
  };
}

/**
 * Handles LSP `initialize`: checks the options and that the storage folder is writable.
 *
 * @returns the server's (empty, for now) capabilities, its name and version, the options, and,
 *   when the storage folder cannot be written, the failure to report with `server/didChangeStatus`
 *   (code `StorageUnavailable`, 1001, data {@link StorageUnavailableData}).
 * @throws {ResponseError} `InvalidParams` (-32602) for bad options.
 */
export async function initialize(params: InitializeParams): Promise<{
  result: InitializeResult;
  options: ServerInitializationOptions;
  failure?: ServerFailure;
}> {
  const options = parseInitializationOptions(params.initializationOptions);
  const result = { capabilities: {}, serverInfo: { name: 'moco', version: mocoVersion } };
  try {
    await ensureWritableDir(options.storagePath);
  } catch (error) {
    if (!(error instanceof StorageUnavailableError)) throw error;
    const data: StorageUnavailableData = { storagePath: error.storagePath, errno: error.errno };
    return { result, options, failure: { code: MocoErrorCodes.StorageUnavailable, message: error.message, data } };
  }
  return { result, options };
}
