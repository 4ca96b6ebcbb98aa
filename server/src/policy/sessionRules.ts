/**
 * The rules a session gains from "Always allow in this session": allows only, kept in memory for
 * the session's lifetime, shared by every agent run of the session (a sub-agent gets exactly the
 * session's rules, never more). They can never lower a deny or an ask of another rule, because the
 * strictest decision wins.
 */
import { escapeGlob, normalisePattern } from './patterns';
import type { SimpleCommandVerdict, PolicyRule } from './types';

/** The allow rules of one session. */
export class SessionRules {
  private readonly added: PolicyRule[] = [];

  /** The rules, in the order they were added. */
  get rules(): readonly PolicyRule[] {
    return this.added;
  }

  /**
   * Adds `pattern: allow` (source `session`), once.
   * @returns the rule (the existing one when the pattern was already there).
   */
  allow(pattern: string): PolicyRule {
    const normal = normalisePattern(pattern);
    const existing = this.added.find((rule) => rule.pattern === normal);
    if (existing) return existing;
    const rule: PolicyRule = { pattern: normal, decision: 'allow', source: 'session' };
    this.added.push(rule);
    return rule;
  }
}

/**
 * The session pattern "Always allow" adds for a command the user approved: the program and its
 * subcommand when it has one (`npm run build --watch` → `npm run*`, `cargo test` → `cargo test*`),
 * else the program alone followed by its arguments' prefix (`make` → `make`, `rm -rf ./build` →
 * `rm*`). Glob characters of the command are escaped.
 */
export function sessionPatternFor(verdict: Pick<SimpleCommandVerdict, 'command'>): string {
  const words = verdict.command.split(' ').filter(Boolean);
  const prefix = words.slice(0, 1);
  if (words[1] !== undefined && /^[A-Za-z][\w:.-]*$/.test(words[1]) && !/\.(\w+)$/.test(words[1])) prefix.push(words[1]);
  const text = escapeGlob(prefix.join(' '));
  return prefix.length === words.length ? text : `${text}*`;
}
