/**
 * Renderers of run events for the `moco` CLI: a live agent tree on a terminal (`tree`), plain
 * greppable lines in pipes and CI (`plain`), and JSON lines with `--json` (`json`).
 */
import { createJsonRenderer } from './jsonRenderer';
import { createPlainRenderer } from './plainRenderer';
import { createTreeRenderer } from './treeRenderer';
import { type Renderer, type RendererOptions } from './types';

export type { RenderMode, Renderer, RendererOptions } from './types';

/**
 * A renderer for `options.mode`. The CLI picks `tree` when stdout is a TTY, `plain` when it is
 * piped, and `json` with `--json`. Feed it every `run/didChange` batch with `onEvents`, and call
 * `finish` once the run is over.
 */
export function createRenderer(given: RendererOptions): Renderer {
  // Without the answer, none of its text streams either (the renderers test `stream` alone).
  const options = given.answer === false ? { ...given, stream: false } : given;
  switch (options.mode) {
    case 'json':
      return createJsonRenderer(options.out);
    case 'plain':
      return createPlainRenderer(options);
    case 'tree':
      return createTreeRenderer(options);
  }
}
