// The parts of the shell and process tools that need no process: the output ring buffer, which
// shells read commands from stdin, and the tools' wire specs (no argument lowers the policy).
import { describe, expect, it } from 'vitest';
import { PROCESS_TOOL_NAMES, processTools } from '../../server/src/tools/process';
import { OutputBuffer } from '../../server/src/tools/process/outputBuffer';
import { readsCommandsFromStdin } from '../../server/src/tools/process/shellInput';
import { ToolRegistry } from '../../server/src/tools/registry';

describe('the output ring buffer', () => {
  it('keeps the last bytes with absolute offsets and says how many a reader missed', () => {
    const buffer = new OutputBuffer(10);
    buffer.append(Buffer.from('abcdef'));
    expect(buffer.read(0)).toEqual({ text: 'abcdef', from: 0, to: 6, dropped: 0 });
    buffer.append(Buffer.from('ghijkl'));
    expect(buffer.start).toBe(2);
    expect(buffer.end).toBe(12);
    expect(buffer.read(0)).toEqual({ text: 'cdefghijkl', from: 2, to: 12, dropped: 2 });
    expect(buffer.read(6)).toEqual({ text: 'ghijkl', from: 6, to: 12, dropped: 0 });
    expect(buffer.read(6, 3)).toEqual({ text: 'ghi', from: 6, to: 9, dropped: 0 });
    expect(buffer.read(12)).toEqual({ text: '', from: 12, to: 12, dropped: 0 });
    expect(buffer.tail(4).text).toBe('ijkl');
  });

  it('keeps only the end of a chunk bigger than the whole buffer, and many small chunks', () => {
    const buffer = new OutputBuffer(8);
    buffer.append(Buffer.from('0123456789abcdef'));
    expect(buffer.read(0)).toEqual({ text: '89abcdef', from: 8, to: 16, dropped: 8 });
    for (const char of 'ghijklmnop') buffer.append(Buffer.from(char));
    expect(buffer.read(0).text).toBe('ijklmnop');
    expect(buffer.end).toBe(26);
  });

  it('tells listeners of each append until they unsubscribe', () => {
    const buffer = new OutputBuffer(100);
    let calls = 0;
    const stop = buffer.onAppend(() => calls++);
    buffer.append(Buffer.from('a'));
    buffer.append(Buffer.alloc(0));
    stop();
    buffer.append(Buffer.from('b'));
    expect(calls).toBe(1);
  });
});

describe('which background processes run what send_input types (shells, interpreters, REPLs)', () => {
  it.each([
    ['bash', true],
    ['sh', true],
    ['/bin/bash -i', true],
    ['bash --norc', true],
    ['bash -o pipefail', true],
    ['sh -s arg1 arg2', true],
    ['cat | sh', true],
    ['FOO=1 zsh', true],
    ['busybox sh', true],
    ['sleep 1; bash', true],
    ['bash -c "echo hi"', false],
    [`sh -c 'while read l; do echo got:$l; done'`, false],
    ['bash -ec "make"', false],
    ['bash script.sh', false],
    ['python3 -m http.server', true],
    ['python3 -i', true],
    ['node', true],
    ['sqlite3 data.db', true],
    ['/usr/bin/ed notes.txt', true],
    ['npm run dev', false],
    ['make watch', false],
    ['cat', false],
  ])('%s → %s', (command, expected) => {
    expect(readsCommandsFromStdin(command)).toBe(expected);
  });
});

describe('the process tools\' definitions', () => {
  const registry = new ToolRegistry();
  for (const tool of processTools()) registry.register(tool);

  it('registers MOCO\'s names with wire specs, and no argument named like a policy switch', () => {
    expect(registry.names()).toEqual([...PROCESS_TOOL_NAMES]);
    expect(PROCESS_TOOL_NAMES).toEqual(['execute_bash', 'start_background', 'stop_process', 'list_processes', 'send_input', 'wait_for_pattern', 'get_output']);
    const specs = registry.specs(PROCESS_TOOL_NAMES);
    const [executeBash] = specs;
    expect(Object.keys(executeBash!.function.parameters.properties as object)).toEqual(['command', 'timeout', 'working_dir']);
    for (const spec of specs) {
      expect(spec.function.description.length).toBeGreaterThan(60);
      expect(JSON.stringify(spec.function.parameters)).not.toMatch(/dangerous|force|policy|unsafe|approve/i);
    }
  });

  it('drops unknown arguments such as allow_dangerous, and bounds the timeouts', () => {
    expect(registry.parseArguments('start_background', JSON.stringify({ command: 'npm start', allow_dangerous: true }))).toEqual({ ok: true, args: { command: 'npm start' } });
    const tooLong = registry.parseArguments('wait_for_pattern', JSON.stringify({ id: 'p1', pattern: 'x', timeout: 3600 }));
    expect(tooLong.ok).toBe(false);
    expect(!tooLong.ok && tooLong.message).toMatch(/timeout: .*600/);
    const emptyCommand = registry.parseArguments('execute_bash', JSON.stringify({ command: '   ' }));
    expect(emptyCommand.ok).toBe(false);
  });
});
