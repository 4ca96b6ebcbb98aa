/**
 * Numeric error codes carried by JSON-RPC `ResponseError`s between the client and the server.
 *
 * JSON-RPC 2.0 reserves -32768..-32000 and LSP reserves -32899..-32800, so MOCO's own codes live
 * in the positive range 1000..1999 (source: https://www.jsonrpc.org/specification#error_object).
 * Every code here is the one place its number is written; client and server import it.
 */
export const MocoErrorCodes = {
  /**
   * The server's storage folder could not be created or written. `data` is a
   * {@link StorageUnavailableData}. The user fixes it by making the folder writable.
   */
  StorageUnavailable: 1001,
} as const;

/** One of {@link MocoErrorCodes}. */
export type MocoErrorCode = (typeof MocoErrorCodes)[keyof typeof MocoErrorCodes];

/** `data` of a {@link MocoErrorCodes.StorageUnavailable} error. */
export interface StorageUnavailableData {
  /** Absolute path of the folder that could not be used. */
  storagePath: string;
  /** The Node.js error code of the failure, for example `EACCES`, `ENOTDIR` or `EROFS`. */
  errno: string;
}
