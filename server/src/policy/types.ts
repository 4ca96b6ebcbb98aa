/**
 * The command policy's contract. Every shell command a tool runs is parsed with a real shell
 * parser (tree-sitter-bash) and each simple command of its pipelines, lists, subshells, command
 * substitutions and `bash -c` / `sh -c` / `xargs` payloads is matched against prefix rules with
 * globs. The strictest decision wins: a `deny` from any source cannot be lowered by an `allow`.
 * See README.md in this folder for the semantics.
 */
import type { SimpleCommand } from './simpleCommand';

/** What a rule decides. Ordered: `allow` < `ask` < `deny`. */
export type PolicyDecision = 'allow' | 'ask' | 'deny';

/** Where a rule comes from. */
export type RuleSource = 'builtin' | 'settings' | 'profile' | 'policy-file' | 'session';

/** One rule: `"git log*": allow`. */
export interface PolicyRule {
  /** A command prefix with globs (picomatch), matched against the normalised simple command. */
  pattern: string;
  decision: PolicyDecision;
  source: RuleSource;
  /** Why, for built-in rules (for example "deletes the root file system"). */
  reason?: string;
}

/**
 * A built-in rule: a predicate over the parsed command (flag spellings, paths, pipelines are
 * understood, not matched as text), labelled with a pattern-like text for the audit log.
 */
export interface BuiltinRule extends PolicyRule {
  source: 'builtin';
  reason: string;
  /** Program names it can apply to (an index); absent: it is tried on every simple command. */
  names?: readonly string[];
  /** True when the rule applies to the command. Synchronous and side-effect free. */
  test(command: SimpleCommand): boolean;
}

/** The verdict on one simple command. */
export interface SimpleCommandVerdict {
  /** The normalised command text the rules were matched against (for example `rm -rf /`). */
  command: string;
  decision: PolicyDecision;
  /** The rule that decided; absent when no rule matched (the default applied). */
  rule?: PolicyRule;
  /** `VAR=value` prefixes it runs with (not part of {@link command}). */
  assignments?: string[];
  /** The wrappers and runners it was found in, outermost first (`['sudo', 'bash -c']`). */
  via?: string[];
  /** Its redirections, as written (`> /dev/sda`), when it has any. */
  redirects?: string[];
}

/** The verdict on a whole command line. */
export interface CommandVerdict {
  /** The strictest decision of its simple commands (`ask` when the line does not parse). */
  decision: PolicyDecision;
  /** Each simple command, in the order they run (substitutions first, a runner before what it runs). */
  commands: SimpleCommandVerdict[];
  /**
   * The simple command that decided: the first with the strictest decision, preferring one a rule
   * decided over one the default decided. Absent when none did:
   * the line runs no command, or it does not parse and none of its commands is stricter than `ask`.
   */
  decisive?: SimpleCommandVerdict;
  /** One sentence for the model and the user: what decided and why. */
  reason: string;
}
