/**
 * The slash commands of `moco chat` (issue 3): parsing only; the REPL runs them. A line is a
 * slash command when its first word is `/name` with no other `/` in it, so a message that starts
 * with a path (`/etc/hosts is missing`) is sent to the agents as it is.
 */

/** The commands, in the order `/help` lists them. `/exit` is an alias of `quit`. */
export const SLASH_COMMANDS = [
  'help',
  'cd',
  'workdir',
  'ls',
  'tree',
  'model',
  'profile',
  'clear',
  'quit',
] as const;

/** A command name of {@link SLASH_COMMANDS}. */
export type SlashCommandName = (typeof SLASH_COMMANDS)[number];

/** A parsed slash command. `arg` is the rest of the line, trimmed, without enclosing quotes. */
export interface SlashCommand {
  command: SlashCommandName;
  arg?: string;
}

/** A line that looked like a slash command but is not a valid one; `error` says what to type. */
export interface SlashCommandError {
  error: string;
}

type ArgRule = 'none' | 'optional' | 'required';

interface CommandSpec {
  usage: string;
  help: string;
  arg: ArgRule;
}

const SPECS: Readonly<Record<SlashCommandName, CommandSpec>> = {
  help: { usage: '/help', arg: 'none', help: 'show this help' },
  cd: { usage: '/cd <dir>', arg: 'required', help: 'change the working directory of the agents' },
  workdir: { usage: '/workdir', arg: 'none', help: 'print the working directory' },
  ls: { usage: '/ls [path]', arg: 'optional', help: 'list a folder of the working directory' },
  tree: { usage: '/tree [path]', arg: 'optional', help: 'show the folder tree of the working dir' },
  model: { usage: '/model [name]', arg: 'optional', help: 'show or set the model: provider/model' },
  profile: { usage: '/profile [name]', arg: 'optional', help: 'show or switch the profile' },
  clear: { usage: '/clear', arg: 'none', help: 'forget the conversation: start a new session' },
  quit: { usage: '/quit', arg: 'none', help: 'leave the chat (also /exit)' },
};

const ALIASES: Readonly<Record<string, SlashCommandName>> = { exit: 'quit' };

/** The `/help` text: one line per command, with its argument and what it does. */
export const SLASH_HELP: string = [
  'Commands:',
  ...SLASH_COMMANDS.map((name) => `  ${SPECS[name].usage.padEnd(17)} ${SPECS[name].help}`),
  'Anything else is a message to the agents. Start it with @agent to talk to one agent.',
].join('\n');

const VALID_LIST = `${SLASH_COMMANDS.map((name) => `/${name}`).join(', ')} (or /exit)`;

/**
 * Parses a line typed in the chat. Returns `undefined` when the line is not a slash command (a
 * message for the agents), a {@link SlashCommand}, or a {@link SlashCommandError} for an unknown
 * command (listing the valid ones), a missing argument or an unexpected one. Command names are
 * case-insensitive.
 */
export function parseSlashCommand(line: string): SlashCommand | SlashCommandError | undefined {
  const text = line.trim();
  const match = /^\/(\S*)(?:\s+([\s\S]*))?$/.exec(text);
  if (!match) return undefined;
  const word = match[1] ?? '';
  if (word.includes('/')) return undefined;
  const name = resolveName(word.toLowerCase());
  if (!name) return { error: unknownCommandError(word) };
  const arg = unquote(match[2]?.trim() ?? '');
  const spec = SPECS[name];
  if (spec.arg === 'required' && arg === '') {
    return { error: `/${name} needs an argument: ${spec.usage}` };
  }
  if (spec.arg === 'none' && arg !== '') {
    return { error: `/${name} takes no argument: type ${spec.usage} alone.` };
  }
  return arg === '' ? { command: name } : { command: name, arg };
}

function resolveName(word: string): SlashCommandName | undefined {
  if ((SLASH_COMMANDS as readonly string[]).includes(word)) return word as SlashCommandName;
  return ALIASES[word];
}

function unknownCommandError(word: string): string {
  if (word === '') return `Type a command after the slash. Valid commands: ${VALID_LIST}.`;
  const lower = word.toLowerCase();
  const names = [...SLASH_COMMANDS, ...Object.keys(ALIASES)];
  const guesses = names.filter((name) => name.startsWith(lower));
  const guess = guesses.length === 1 ? ` Did you mean /${guesses[0]}?` : '';
  return `Unknown command /${word}.${guess} Valid commands: ${VALID_LIST}.`;
}

/** The text without one pair of enclosing matching quotes (`"my dir"` → `my dir`). */
function unquote(text: string): string {
  const first = text[0];
  if (text.length >= 2 && (first === '"' || first === "'") && text.endsWith(first)) {
    return text.slice(1, -1);
  }
  return text;
}
