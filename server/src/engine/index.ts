/**
 * Entry of `dist/engine.js`: the engine with everything it needs (the `openai` SDK, zod, the YAML
 * parser, the tools...), bundled apart from `dist/server.js` so that the server starts without
 * compiling it. The server loads it on the first request that needs the engine.
 */
import { MocoEngine, type EngineOptions } from './engine';

/**
 * Opens the engine on its database.
 * @throws {StorageError} when the database cannot be opened.
 */
export function openEngine(options: EngineOptions): MocoEngine {
  return MocoEngine.open(options);
}
