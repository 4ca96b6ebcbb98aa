/**
 * Splits a Markdown file (agent or skill) into its YAML front-matter and its body, with
 * `gray-matter` for the split and the `yaml` package (through `yamlLocation.ts`) as its YAML engine,
 * so there is one YAML parser and front-matter lines count from the top of the `.md` file.
 */
import matter from 'gray-matter';
import { isMap, isScalar } from 'yaml';
import { ProfileError } from './errors';
import { parseYaml, type LocatedYaml } from './yamlLocation';

/** A Markdown file split into front-matter and body. */
export interface FrontMatterSplit {
  /** The parsed front-matter; absent when the file has none or it is empty. */
  yaml?: LocatedYaml;
  /** The text after the front-matter (the whole file when there is none), not trimmed. */
  body: string;
  /**
   * Set when the file lacks the opening `---` but starts with keys this kind of file uses, closed by
   * a `---` line (two of MOCO's own agents are written so): the 1-based line of that `---`.
   */
  missingOpeningDelimiter?: { closingLine: number };
}

const CLOSING_LINE = /^---[ \t]*$/m;

/**
 * Splits `text`, the content of `file`.
 *
 * @param knownKeys the front-matter keys of this kind of file; a file without the opening `---`
 *   whose text before the first `---` line is a YAML map using one of them is read as front-matter.
 * @throws {ProfileError} when the front-matter is not closed, is not YAML, or has a YAML syntax error.
 */
export function splitFrontMatter(text: string, file: string, knownKeys: readonly string[]): FrontMatterSplit {
  // Windows line ends become \n (line numbers stay the same): gray-matter leaves the \r of the last
  // front-matter line, which YAML would read as part of its value.
  const source = (text.startsWith('\uFEFF') ? text.slice(1) : text).replace(/\r\n?/g, '\n');
  if (!opensFrontMatter(source)) return recoverFrontMatter(source, file, knownKeys) ?? { body: source };
  if (source.indexOf('\n---', 3) === -1) {
    throw new ProfileError(
      file,
      1,
      'the front-matter opened by "---" on line 1 is never closed. Add a line "---" after its keys, ' +
        'before the Markdown body.',
    );
  }
  let yaml: LocatedYaml | undefined;
  // Passing options also keeps gray-matter from caching the result by content.
  const split = matter(source, {
    engines: {
      yaml: {
        parse: (frontMatter: string): object => {
          yaml = parseYaml(frontMatter, file);
          return {};
        },
      },
    },
  });
  if (split.language !== '' && split.language !== 'yaml') {
    throw new ProfileError(
      file,
      1,
      `the front-matter is marked as "${split.language}"; only YAML is read. Write "---" alone on line 1.`,
    );
  }
  return yaml ? { yaml, body: split.content } : { body: split.content };
}

function opensFrontMatter(text: string): boolean {
  return text.startsWith('---') && text.charAt(3) !== '-';
}

function recoverFrontMatter(text: string, file: string, knownKeys: readonly string[]): FrontMatterSplit | undefined {
  const closing = CLOSING_LINE.exec(text);
  if (!closing || closing.index === 0) return undefined;
  let yaml: LocatedYaml;
  try {
    yaml = parseYaml(text.slice(0, closing.index), file);
  } catch {
    return undefined; // not front-matter, just Markdown with a horizontal rule
  }
  const contents = yaml.doc.contents;
  const usesKnownKey = isMap(contents) && contents.items.some((pair) => isScalar(pair.key) && knownKeys.includes(String(pair.key.value)));
  if (!usesKnownKey) return undefined;
  const closingLine = text.slice(0, closing.index).split('\n').length;
  const afterClosing = text.slice(closing.index + closing[0].length).replace(/^\n/, '');
  return { yaml, body: afterClosing, missingOpeningDelimiter: { closingLine } };
}
