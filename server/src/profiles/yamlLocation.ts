/**
 * YAML parsing with positions: the `yaml` package's `parseDocument` and `LineCounter`, so that a
 * problem found in the parsed data can be traced back to the 1-based line of its key or value.
 *
 * YAML 1.1 is used, as MOCO reads its profiles with PyYAML (a YAML 1.1 parser): `yes`/`no`/`on`/`off`
 * are booleans there, and must stay so here for MOCO's profiles to mean the same thing.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type YAMLError } from 'yaml';
import { ProfileError } from './errors';

/** A parsed YAML text, its plain-JS value, and what is needed to find lines in it. */
export interface LocatedYaml {
  /** Absolute path of the file the text comes from. */
  file: string;
  doc: Document.Parsed;
  lineCounter: LineCounter;
  /** The document as plain JS (maps become objects with string keys); `null` for an empty document. */
  data: unknown;
}

/** A path into parsed YAML data: map keys and list indices, as zod reports them. */
export type DataPath = readonly PropertyKey[];

/**
 * Parses `text` as one YAML 1.1 document.
 *
 * @param text the YAML; its first line must be line 1 of `file` (for front-matter: the text right
 *   after the opening `---`, which sits on line 1, so lines count from the top of the `.md` file).
 * @param file absolute path, for messages.
 * @throws {ProfileError} on a YAML syntax error (the first one), with its line and the offending text.
 */
export function parseYaml(text: string, file: string): LocatedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, version: '1.1', prettyErrors: true });
  const first = doc.errors[0];
  if (first) {
    throw syntaxError(first, file);
  }
  return { file, doc, lineCounter, data: doc.toJS({ maxAliasCount: 100 }) as unknown };
}

function syntaxError(error: YAMLError, file: string): ProfileError {
  const line = error.linePos?.[0].line;
  const [head = '', ...context] = error.message.split('\n');
  const what = head.replace(/ at line \d+, column \d+:?$/, '');
  const snippet = context.join('\n').trim() === '' ? '' : `\n${context.join('\n').trimEnd()}\n`;
  return new ProfileError(
    file,
    line,
    `YAML syntax error: ${what}.${snippet}` +
      'Fix the YAML there: check the indentation, close any open quote or bracket, and quote values ' +
      'that contain ": " or start with one of * & ! | > @ ` % { [.',
  );
}

/** 1-based line of a character offset of the parsed text. */
export function lineAtOffset(yaml: LocatedYaml, offset: number): number {
  return Math.max(1, yaml.lineCounter.linePos(offset).line);
}

function lineOfNode(yaml: LocatedYaml, node: unknown): number | undefined {
  const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
  return range ? lineAtOffset(yaml, range[0]) : undefined;
}

function keyText(key: unknown): string | undefined {
  return isScalar(key) ? String(key.value) : undefined;
}

/**
 * The 1-based line that best shows the data at `path`: the line of a scalar value, the line of the
 * key of a map or list value, or, when the path goes further than the document, the line of the
 * deepest part that exists (so a missing key points at the map that lacks it).
 */
export function lineOfPath(yaml: LocatedYaml, path: DataPath): number {
  let node: unknown = yaml.doc.contents;
  let line = lineOfNode(yaml, node) ?? 1;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => keyText(item.key) === String(segment));
      if (!pair) return line;
      line = lineOfNode(yaml, pair.key) ?? line;
      node = pair.value;
      if (isScalar(node)) line = lineOfNode(yaml, node) ?? line;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item: unknown = node.items[segment];
      if (item === undefined) return line;
      line = lineOfNode(yaml, item) ?? line;
      node = item;
    } else {
      return line;
    }
  }
  return line;
}

/** The 1-based line of the key `key` of the map at `path`, else the line of that map. */
export function lineOfKey(yaml: LocatedYaml, path: DataPath, key: string): number {
  return lineOfPath(yaml, [...path, key]);
}
