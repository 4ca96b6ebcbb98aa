/**
 * Which changed files a prompt summarises instead of quoting: lockfiles, generated and vendored
 * files (built-in globs, matched with picomatch, and the repository's `.gitattributes`
 * `linguist-generated`, `linguist-vendored` and `-diff`, read with `git check-attr`). Binary files
 * are found by the diff itself (numstat `-`).
 */
import picomatch from 'picomatch';
import { runGit } from './gitClient';

/** Why a file is summarised. */
export type SummaryClass = 'lockfile' | 'generated' | 'vendored' | 'no-diff';

/**
 * Lockfiles by file name: npm, Yarn, pnpm, Bun, Deno, Cargo, Poetry, Pipenv, uv, PDM, Go, Composer,
 * Bundler, Mix, pub, CocoaPods, NuGet, Nix flakes, Gradle, SwiftPM, Conan.
 */
const LOCKFILE_NAMES = new Set([
  'package-lock.json',
  'npm-shrinkwrap.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'bun.lockb',
  'bun.lock',
  'deno.lock',
  'Cargo.lock',
  'poetry.lock',
  'Pipfile.lock',
  'uv.lock',
  'pdm.lock',
  'go.sum',
  'composer.lock',
  'Gemfile.lock',
  'mix.lock',
  'pubspec.lock',
  'Podfile.lock',
  'packages.lock.json',
  'flake.lock',
  'gradle.lockfile',
  'Package.resolved',
  'conan.lock',
]);

/** Generated files: minified bundles, source maps, build output, code generators' conventional names, test snapshots. */
const GENERATED_GLOBS = [
  '**/*.min.{js,mjs,cjs,css}',
  '**/*.{js,mjs,cjs,css}.map',
  '**/dist/**',
  '**/*.generated.*',
  '**/*.g.dart',
  '**/*.pb.go',
  '**/*.pb.{cc,h}',
  '**/*_pb2.py',
  '**/*_pb2_grpc.py',
  '**/__snapshots__/*.snap',
];

/** Vendored code: dependencies copied into the repository. */
const VENDORED_GLOBS = ['**/vendor/**', '**/node_modules/**', '**/third_party/**', '**/third-party/**', '**/bower_components/**'];

const isGenerated = picomatch(GENERATED_GLOBS, { dot: true });
const isVendored = picomatch(VENDORED_GLOBS, { dot: true });

/** The class a path has by the built-in names and globs alone; undefined for a file to quote. */
export function builtInClass(path: string): SummaryClass | undefined {
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (LOCKFILE_NAMES.has(name)) return 'lockfile';
  if (isVendored(path)) return 'vendored';
  if (isGenerated(path)) return 'generated';
  return undefined;
}

/** The attributes read from `.gitattributes` (https://github.com/github-linguist/linguist/blob/main/docs/overrides.md). */
const ATTRIBUTES = ['linguist-generated', 'linguist-vendored', 'diff'] as const;

/** Paths per `git check-attr` call, so that no command line gets too long. */
const CHECK_ATTR_BATCH = 500;

/** What `.gitattributes` says of one path: true/false when set either way, undefined when silent. */
interface PathAttributes {
  generated?: boolean;
  vendored?: boolean;
  noDiff?: boolean;
}

/** `set`, `true` → true; `unset`, `false` → false; anything else → undefined (git-check-attr(1) output values). */
function flag(value: string): boolean | undefined {
  if (value === 'set' || value === 'true') return true;
  if (value === 'unset' || value === 'false') return false;
  return undefined;
}

async function readAttributes(root: string, paths: string[], signal: AbortSignal): Promise<Map<string, PathAttributes>> {
  const result = new Map<string, PathAttributes>();
  for (let start = 0; start < paths.length; start += CHECK_ATTR_BATCH) {
    const batch = paths.slice(start, start + CHECK_ATTR_BATCH);
    // `-z` output: `<path>\0<attribute>\0<value>\0` per path and attribute.
    const out = await runGit(root, ['check-attr', '-z', ...ATTRIBUTES, '--', ...batch], signal);
    const fields = out.split('\0');
    for (let i = 0; i + 2 < fields.length; i += 3) {
      const [path, attribute, value] = [fields[i]!, fields[i + 1]!, fields[i + 2]!];
      const entry = result.get(path) ?? {};
      const set = flag(value);
      if (attribute === 'linguist-generated' && set !== undefined) entry.generated = set;
      if (attribute === 'linguist-vendored' && set !== undefined) entry.vendored = set;
      if (attribute === 'diff' && set === false) entry.noDiff = true;
      result.set(path, entry);
    }
  }
  return result;
}

/**
 * The class of each path that is summarised rather than quoted; paths not in the map are quoted.
 * `.gitattributes` wins over the built-in globs either way (`dist/** -linguist-generated` quotes
 * `dist/`). Paths are repository-relative with `/`, as git prints them.
 * @throws the signal's reason when aborted.
 */
export async function classifyPaths(root: string, paths: string[], signal: AbortSignal): Promise<Map<string, SummaryClass>> {
  const attributes = paths.length > 0 ? await readAttributes(root, paths, signal) : new Map<string, PathAttributes>();
  const classes = new Map<string, SummaryClass>();
  for (const path of paths) {
    const marked = attributes.get(path) ?? {};
    const builtIn = builtInClass(path);
    let kind: SummaryClass | undefined;
    if (marked.vendored === true) kind = 'vendored';
    else if (marked.generated === true) kind = 'generated';
    else if (builtIn === 'lockfile') kind = 'lockfile';
    else if (builtIn === 'vendored' && marked.vendored !== false) kind = 'vendored';
    else if (builtIn === 'generated' && marked.generated !== false) kind = 'generated';
    else if (marked.noDiff === true) kind = 'no-diff';
    if (kind) classes.set(path, kind);
  }
  return classes;
}

/** How a summary line names a class: `lockfile`, `generated`, `vendored`, `marked -diff in .gitattributes`. */
export function describeClass(kind: SummaryClass | 'binary'): string {
  return kind === 'no-diff' ? 'marked -diff in .gitattributes' : kind;
}
