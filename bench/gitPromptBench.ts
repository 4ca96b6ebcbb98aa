/**
 * The time to build the commit-message prompt (issue 6's benchmark: a 5,000-line diff, target
 * < 200 ms, the model excluded), for `npm run bench:git`: everything `git/commitMessage` does
 * before the model call — open the repository and check its state, read the conventions (a
 * commitlint configuration, the last 20 commits), list and classify the staged files (`git check-attr`
 * included), read and parse the patch, cut it to the window — on a real repository in a temporary
 * folder, many rounds after a warm-up. Prints nothing: bench/git.ts prints.
 *
 * It runs the bundled `dist/engine.js` (`buildCommitPrompt`), the code that ships, so `npm run build`
 * must run first: the git code's ES-module-only dependencies (`conventional-commits-parser`,
 * `@commitlint/*`) cannot be loaded from TypeScript sources by `tsx` in this CommonJS package.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import type * as EngineExports from '../server/src/engine/index';
import { percentile, median } from './support/measure';

const execFileAsync = promisify(execFile);

/** The engine bundle's exports. */
type EngineModule = typeof EngineExports;

/** Options of {@link benchCommitPrompt}. */
export interface CommitPromptBenchOptions {
  /** Changed lines of the staged diff, added plus deleted; default 5,000. */
  lines?: number;
  /** Source files the change spreads over (a lockfile comes on top); default 40. */
  files?: number;
  /** Timed rounds; default 20. */
  rounds?: number;
  /** The model's context window (tokens) the prompt is cut to; default 128,000. */
  contextWindow?: number;
  /** The engine bundle; default `dist/engine.js` of this repository. */
  engineBundle?: string;
}

/** What {@link benchCommitPrompt} measured. */
export interface CommitPromptBenchFigures {
  rounds: number;
  /** Changed lines of the staged diff (git's numstat, added plus deleted), lockfile included. */
  diffLines: number;
  /** Files of the diff, lockfile included. */
  files: number;
  /** Time to build one prompt, in ms: median, 95th percentile, mean, fastest. */
  medianMs: number;
  p95Ms: number;
  meanMs: number;
  minMs: number;
  /** Characters of the prompt (system and user message). */
  promptChars: number;
  /** Files quoted and summarised in the prompt, and its notes. */
  filesShown: number;
  filesSummarised: number;
  notes: string[];
}

const WARM_UP_ROUNDS = 3;

async function git(dir: string, ...args: string[]): Promise<string> {
  return (await execFileAsync('git', args, { cwd: dir, maxBuffer: 64 * 1024 * 1024 })).stdout;
}

/** A source file of `count` lines, the `variant` changing every other line. */
function source(index: number, count: number, variant: string): string {
  return Array.from({ length: count }, (_, line) => (line % 2 === 0 ? `export const value${line} = compute(${index}, ${line}); // ${variant}` : `// unchanged line ${line} of module ${index}`)).join('\n') + '\n';
}

/** A package-lock.json with `count` packages of the given version. */
function lockfile(count: number, version: string): string {
  const packages = Object.fromEntries(Array.from({ length: count }, (_, i) => [`node_modules/pkg-${i}`, { version, integrity: `sha512-${version}-${i}` }]));
  return `${JSON.stringify({ name: 'bench', lockfileVersion: 3, packages }, null, 2)}\n`;
}

/**
 * A repository with 20 Conventional Commits, a commitlint configuration, and a staged change of
 * about `lines` changed lines: 90 % in the source files (every other line rewritten: one deletion
 * and one addition each), 10 % in package-lock.json (two lines of each package: four).
 */
export async function benchRepository(root: string, lines: number, files: number): Promise<string> {
  const repo = path.join(root, 'repo');
  await mkdir(path.join(repo, 'src'), { recursive: true });
  await git(repo, 'init', '-q', '-b', 'main');
  for (const [key, value] of [['user.name', 'Bench'], ['user.email', 'bench@example.com'], ['commit.gpgsign', 'false']]) await git(repo, 'config', key!, value!);
  await writeFile(path.join(repo, '.commitlintrc.json'), JSON.stringify({ extends: ['@commitlint/config-conventional'] }));
  const perFile = Math.max(2, Math.round((lines * 0.9) / files / 2));
  const lockPackages = Math.max(1, Math.round((lines * 0.1) / 4));
  for (let i = 0; i < files; i++) await writeFile(path.join(repo, 'src', `module${i}.ts`), source(i, perFile * 2, 'before'));
  await writeFile(path.join(repo, 'package-lock.json'), lockfile(lockPackages, '1.0.0'));
  await git(repo, 'add', '-A');
  await git(repo, 'commit', '-q', '-m', 'chore: initial commit');
  for (let i = 1; i < 20; i++) await git(repo, 'commit', '-q', '--allow-empty', '-m', `${i % 3 === 0 ? 'fix' : 'feat'}(core): step ${i}`);
  for (let i = 0; i < files; i++) await writeFile(path.join(repo, 'src', `module${i}.ts`), source(i, perFile * 2, 'after'));
  await writeFile(path.join(repo, 'package-lock.json'), lockfile(lockPackages, '1.1.0'));
  await git(repo, 'add', '-A');
  return repo;
}

/** Loads the engine bundle. @throws {Error} saying to build when it is missing. */
function loadEngine(bundle: string): EngineModule {
  if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run \`npm run build\` first.`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(bundle) as EngineModule;
}

/** Builds the commit-message prompt of a 5,000-line staged diff, many rounds, and reports the times. */
export async function benchCommitPrompt(options: CommitPromptBenchOptions = {}): Promise<CommitPromptBenchFigures> {
  const engine = loadEngine(options.engineBundle ?? path.resolve(__dirname, '..', 'dist', 'engine.js'));
  const rounds = options.rounds ?? 20;
  const contextWindow = options.contextWindow ?? 128_000;
  const root = await mkdtemp(path.join(tmpdir(), 'moco-bench-git-'));
  try {
    const repo = await benchRepository(root, options.lines ?? 5000, options.files ?? 40);
    const numstat = (await git(repo, 'diff', '--cached', '--numstat')).trim().split('\n');
    const diffLines = numstat.reduce((sum, line) => sum + Number(line.split('\t')[0]) + Number(line.split('\t')[1]), 0);
    const signal = new AbortController().signal;
    const build = () => engine.buildCommitPrompt(repo, { contextWindow }, signal);
    for (let round = 0; round < WARM_UP_ROUNDS; round++) await build();
    const times: number[] = [];
    let last = await build();
    for (let round = 0; round < rounds; round++) {
      const start = performance.now();
      last = await build();
      times.push(performance.now() - start);
    }
    return {
      rounds,
      diffLines,
      files: numstat.length,
      medianMs: median(times),
      p95Ms: percentile(times, 95),
      meanMs: times.reduce((sum, time) => sum + time, 0) / times.length,
      minMs: Math.min(...times),
      promptChars: last.messages.reduce((sum, message) => sum + (message.content?.length ?? 0), 0),
      filesShown: last.diff.filesShown,
      filesSummarised: last.diff.filesSummarised,
      notes: last.diff.notes,
    };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
