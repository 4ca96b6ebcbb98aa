/**
 * The Chat view's slash commands: their descriptions (for completion and `/help`) and the parser.
 * As in `moco chat`, a line is a slash command when its first word is `/name` with no other `/`
 * in it, so a message that starts with a path (`/etc/hosts is missing`) goes to the agents.
 */
import type { SlashCommandName } from '../../../protocol/webview';

/** A command the input box completes. `help` is the webview's own; the client runs the others. */
export interface SlashCommandSpec {
  name: 'help' | SlashCommandName;
  /** How to type it, for example `/cd <folder>`. */
  usage: string;
  description: string;
}

/** The commands, in the order the completion list and `/help` show them. */
export const SLASH_COMMANDS: readonly SlashCommandSpec[] = [
  { name: 'help', usage: '/help', description: 'Show the commands and keys' },
  { name: 'new', usage: '/new', description: 'Start a new chat' },
  { name: 'clear', usage: '/clear', description: 'Forget the conversation: start a new session' },
  { name: 'profile', usage: '/profile [name]', description: 'Switch the team of agents (profile)' },
  { name: 'model', usage: '/model [provider/model]', description: 'Choose the model' },
  { name: 'provider', usage: '/provider [name]', description: 'Choose the provider' },
  { name: 'cd', usage: '/cd [folder]', description: 'Change the working directory of the agents' },
  { name: 'workdir', usage: '/workdir', description: 'Show the working directory' },
  { name: 'sessions', usage: '/sessions', description: 'Open a stored session' },
];

/** What a typed line is. */
export type ParsedInput =
  | { kind: 'message'; text: string }
  | { kind: 'help' }
  | { kind: 'slash'; name: SlashCommandName; argument?: string }
  | { kind: 'unknown'; word: string };

/** Parses a line typed in the input box (names are case-insensitive). */
export function parseInput(text: string): ParsedInput {
  const match = /^\/(\S*)(?:\s+([\s\S]*))?$/.exec(text.trim());
  if (!match || (match[1] ?? '').includes('/')) return { kind: 'message', text };
  const word = (match[1] ?? '').toLowerCase();
  const spec = SLASH_COMMANDS.find((c) => c.name === word);
  if (!spec) return { kind: 'unknown', word: match[1] ?? '' };
  if (spec.name === 'help') return { kind: 'help' };
  const argument = match[2]?.trim();
  return { kind: 'slash', name: spec.name, ...(argument ? { argument } : {}) };
}

/** The commands whose name starts with `prefix` (without the `/`), case-insensitive. */
export function matchSlashCommands(prefix: string): SlashCommandSpec[] {
  const p = prefix.toLowerCase();
  return SLASH_COMMANDS.filter((c) => c.name.startsWith(p));
}
