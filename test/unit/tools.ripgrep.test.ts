// ripgrep with the system's rg (/usr/bin/rg) and with the JavaScript fallback, on the same real
// temporary working directory with a .gitignore (not a git repository, as a new project can be).
import { mkdir, mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findOnPath } from '../../server/src/tools/search/ripgrepLocate';
import { runRipgrep } from '../../server/src/tools/search/ripgrepRun';
import { searchTools } from '../../server/src/tools/search/index';
import type { ToolServices } from '../../server/src/tools/services';
import type { Tool, ToolContext, ToolResult } from '../../server/src/tools/types';
import { processExists } from '../support/processes';

const SYSTEM_RG = '/usr/bin/rg';
let workingDir: string;

async function layout(files: Record<string, string | Buffer>): Promise<void> {
  for (const [relative, content] of Object.entries(files)) {
    const file = path.join(workingDir, relative);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, content);
  }
}

beforeEach(async () => {
  workingDir = await realpath(await mkdtemp(path.join(tmpdir(), 'moco-ripgrep-')));
  await layout({
    '.gitignore': 'dist/\n*.log\n',
    'src/index.ts': 'import { helper } from "./lib/helper";\n// TODO: wire\nexport const main = () => helper();\n',
    'src/lib/helper.ts': 'export function helper() {\n  return 42; // todo: real value\n}\n',
    'src/lib/helper.test.ts': 'it("helper", () => { /* TODO test */ });\n',
    'docs/notes.md': 'TODO (a.b) write docs\n',
    '.github/ci.yml': '# TODO: hidden folder, searched\n',
    'dist/index.js': '// TODO: built, ignored\n',
    'debug.log': 'TODO in a log, ignored\n',
    'node_modules/dep/index.js': '// TODO: dependency, skipped\n',
    'assets/logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 0x54, 0x4f, 0x44, 0x4f, 0, 0]),
  });
});
afterEach(async () => {
  await rm(workingDir, { recursive: true, force: true });
});

/** The ripgrep tool with the system's rg, or with none found (so the JavaScript search runs). */
function ripgrepTool(engine: 'rg' | 'js'): Tool {
  const tools = searchTools({ findSystemRipgrep: () => Promise.resolve(engine === 'rg' ? SYSTEM_RG : undefined) });
  return tools.find((tool) => tool.definition.name === 'ripgrep')!;
}

function run(tool: Tool, args: Record<string, unknown>, services?: ToolServices, signal = new AbortController().signal): Promise<ToolResult> {
  const context: ToolContext = { workingDir, runId: 'run-1', agent: 'coder', toolCallId: 'call_1', todos: { get: () => [], set: () => undefined } };
  if (services) context.services = services;
  return tool.implementation(tool.definition.parameters.parse(args), context, signal);
}

/** An executable that stands for an rg that hangs: it writes its pid, then sleeps. */
async function hangingRipgrep(): Promise<{ file: string; pid: () => Promise<number> }> {
  const file = path.join(workingDir, 'hanging-rg');
  const pidFile = path.join(workingDir, 'hanging-rg.pid');
  await writeFile(file, `#!/bin/sh\necho $$ > "${pidFile}.tmp" && mv "${pidFile}.tmp" "${pidFile}"\nexec sleep 60\n`, { mode: 0o755 });
  const pid = async (): Promise<number> => {
    for (;;) {
      const text = await readFile(pidFile, 'utf8').catch(() => '');
      if (text.trim()) return Number(text.trim());
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  return { file, pid };
}


/** The `path:line` of every match line of a result. */
function matchLines(result: ToolResult): string[] {
  return result.content
    .split('\n')
    .map((line) => /^([^\s:]+:\d+):/.exec(line)?.[1])
    .filter((line): line is string => line !== undefined)
    .sort();
}

describe.each(['rg', 'js'] as const)('ripgrep (%s engine)', (engine) => {
  it('finds the matches, skipping ignored, binary, .git and node_modules files, and names the engine', async () => {
    const result = await run(ripgrepTool(engine), { pattern: 'TODO' });
    expect(matchLines(result)).toEqual(['.github/ci.yml:1', 'docs/notes.md:1', 'src/index.ts:2', 'src/lib/helper.test.ts:1']);
    expect(result.content).toContain('src/index.ts:2: // TODO: wire');
    expect(result.content).toContain(engine === 'rg' ? `[Searched with ripgrep (${SYSTEM_RG}).]` : '[Searched with the JavaScript search');
    expect(result.summary).toBe('4 matches in 4 files');
  });

  it('searches case-insensitively, in a folder, with a glob', async () => {
    const result = await run(ripgrepTool(engine), { pattern: 'todo', case_insensitive: true, path: 'src', glob: '!*.test.ts' });
    expect(matchLines(result)).toEqual(['src/index.ts:2', 'src/lib/helper.ts:2']);
  });

  it('takes fixed strings literally', async () => {
    const result = await run(ripgrepTool(engine), { pattern: '(a.b)', fixed_strings: true });
    expect(matchLines(result)).toEqual(['docs/notes.md:1']);
  });

  it('stops at max_results and says so', async () => {
    const result = await run(ripgrepTool(engine), { pattern: 'TODO', max_results: 2 });
    expect(matchLines(result)).toHaveLength(2);
    expect(result.content).toContain('[Stopped at 2 matches; more exist.');
    expect(result.summary).toMatch(/^at least 2 matches/);
  });

  it('answers an invalid pattern with a clear error', async () => {
    const result = await run(ripgrepTool(engine), { pattern: 'helper(' });
    expect(result.isError).toBe(true);
    expect(result.content).toMatch(/pattern helper\( is not a valid regular expression/);
    expect(result.content).toContain('fixed_strings');
  });

  it('says when nothing matches, and refuses a path outside the working directory', async () => {
    const none = await run(ripgrepTool(engine), { pattern: 'no-such-text' });
    expect(none.content).toMatch(/^No lines match \/no-such-text\/ in \./);
    expect(none.summary).toBe('no matches');
    const outside = await run(ripgrepTool(engine), { pattern: 'x', path: '../' });
    expect(outside.isError).toBe(true);
    expect(outside.content).toContain('outside the working directory');
  });
});

describe('ripgrep with rg only', () => {
  it('lists the files in path order, whatever order rg\'s threads found them in', async () => {
    await layout(Object.fromEntries(Array.from({ length: 40 }, (_, index) => [`many/f${String(39 - index).padStart(2, '0')}.txt`, 'needle\n'])));
    const result = await run(ripgrepTool('rg'), { pattern: 'needle' });
    const files = result.content.split('\n').filter((line) => line.startsWith('many/')).map((line) => line.split(':')[0]);
    expect(files).toHaveLength(40);
    expect(files).toEqual([...files].sort());
  });

  it('shows context lines as path-line- text, separated from other stretches by --', async () => {
    const result = await run(ripgrepTool('rg'), { pattern: 'return 42', context: 1, path: 'src/lib/helper.ts' });
    expect(result.content).toContain('src/lib/helper.ts-1- export function helper() {\nsrc/lib/helper.ts:2:   return 42; // todo: real value\nsrc/lib/helper.ts-3- }');
  });

  it('prefers the services\' rg (VS Code\'s), and skips one that cannot start', async () => {
    const used = await run(ripgrepTool('js'), { pattern: 'wire' }, { ripgrepPath: SYSTEM_RG });
    expect(used.content).toContain(`[Searched with ripgrep (${SYSTEM_RG}).]`);
    const missing = await run(ripgrepTool('rg'), { pattern: 'wire' }, { ripgrepPath: path.join(workingDir, 'no-rg') });
    expect(missing.content).toContain('no-rg could not be started');
    expect(missing.content).toContain(`[Searched with ripgrep (${SYSTEM_RG}).]`);
    expect(matchLines(missing)).toEqual(['src/index.ts:2']);
  });

  it('kills rg when the call is cancelled', async () => {
    const hanging = await hangingRipgrep();
    const controller = new AbortController();
    const call = run(ripgrepTool('js'), { pattern: 'TODO' }, { ripgrepPath: hanging.file }, controller.signal);
    const pid = await hanging.pid();
    expect(processExists(pid)).toBe(true);
    controller.abort(new Error('stop'));
    await expect(call).rejects.toThrow('stop');
    expect(processExists(pid)).toBe(false);
  });

  it('stops rg at the time-out and says so', async () => {
    const hanging = await hangingRipgrep();
    const request = { pattern: 'TODO', caseInsensitive: false, fixedStrings: false, context: 0, maxResults: 10, workingDir, target: '.' };
    const run = await runRipgrep(hanging.file, request, new AbortController().signal, 200);
    expect(run.ok).toBe(true);
    expect(run.ok && run.outcome.notes.join('\n')).toContain('ripgrep was stopped after 0.2 s');
    expect(processExists(await hanging.pid())).toBe(false);
  });
});

describe('findOnPath', () => {
  it('finds the first executable on a PATH value, and nothing on an empty one', async () => {
    expect(await findOnPath('rg', `/nonexistent:${path.dirname(SYSTEM_RG)}`, 'linux')).toBe(SYSTEM_RG);
    expect(await findOnPath('rg', '', 'linux')).toBeUndefined();
  });
});
