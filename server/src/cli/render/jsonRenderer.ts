/** `--json`: every run event as one line of JSON on stdout, and nothing else there. */
import { type Renderer } from './types';

/**
 * A renderer that writes each event as `JSON.stringify(event)` and a line feed to `out` (JSON
 * Lines, https://jsonlines.org). It writes nothing else.
 */
export function createJsonRenderer(out: NodeJS.WritableStream): Renderer {
  return {
    onEvents(events) {
      for (const event of events) out.write(`${JSON.stringify(event)}\n`);
    },
    finish() {},
    suspend() {
      return () => {};
    },
  };
}
