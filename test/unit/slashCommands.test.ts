import { describe, expect, it } from 'vitest';
import { parseSlashCommand, SLASH_COMMANDS, SLASH_HELP } from '../../server/src/cli/slashCommands';

describe('slash commands', () => {
  it('leaves messages alone, including ones that start with a path', () => {
    expect(parseSlashCommand('fix the tests')).toBeUndefined();
    expect(parseSlashCommand('@coder add a test')).toBeUndefined();
    expect(parseSlashCommand('/etc/hosts is missing an entry')).toBeUndefined();
    expect(parseSlashCommand('')).toBeUndefined();
  });

  it('parses each command and its argument', () => {
    expect(parseSlashCommand('/help')).toEqual({ command: 'help' });
    expect(parseSlashCommand('  /cd   src/server  ')).toEqual({ command: 'cd', arg: 'src/server' });
    expect(parseSlashCommand('/cd "My Projects/app"')).toEqual({ command: 'cd', arg: 'My Projects/app' });
    expect(parseSlashCommand('/workdir')).toEqual({ command: 'workdir' });
    expect(parseSlashCommand('/ls')).toEqual({ command: 'ls' });
    expect(parseSlashCommand('/ls src')).toEqual({ command: 'ls', arg: 'src' });
    expect(parseSlashCommand('/tree test/unit')).toEqual({ command: 'tree', arg: 'test/unit' });
    expect(parseSlashCommand('/model')).toEqual({ command: 'model' });
    expect(parseSlashCommand('/model zai/glm-4.7')).toEqual({ command: 'model', arg: 'zai/glm-4.7' });
    expect(parseSlashCommand('/profile development')).toEqual({ command: 'profile', arg: 'development' });
    expect(parseSlashCommand('/clear')).toEqual({ command: 'clear' });
    expect(parseSlashCommand('/quit')).toEqual({ command: 'quit' });
    expect(parseSlashCommand('/exit')).toEqual({ command: 'quit' });
    expect(parseSlashCommand('/QUIT')).toEqual({ command: 'quit' });
  });

  it('says what is missing or extra', () => {
    expect(parseSlashCommand('/cd')).toEqual({ error: '/cd needs an argument: /cd <dir>' });
    expect(parseSlashCommand('/clear all')).toEqual({ error: '/clear takes no argument: type /clear alone.' });
  });

  it('lists the valid commands for an unknown one, with a guess when there is one', () => {
    const unknown = parseSlashCommand('/frobnicate now');
    expect(unknown).toEqual({
      error:
        'Unknown command /frobnicate. Valid commands: /help, /cd, /workdir, /ls, /tree, /model, ' +
        '/profile, /clear, /quit (or /exit).',
    });
    expect(parseSlashCommand('/mod')).toMatchObject({ error: expect.stringContaining('Did you mean /model?') as unknown });
    expect(parseSlashCommand('/')).toMatchObject({ error: expect.stringContaining('Valid commands: /help') as unknown });
  });

  it('has help for every command', () => {
    for (const name of SLASH_COMMANDS) expect(SLASH_HELP).toContain(`/${name}`);
    expect(SLASH_HELP).toContain('/cd <dir>');
    expect(SLASH_HELP).toContain('/exit');
  });
});
