/**
 * The command policy's contract. Every shell command a tool runs is parsed with a real shell
 * parser (tree-sitter-bash) and each simple command of its pipelines, lists, subshells, command
 * substitutions and `bash -c` / `sh -c` / `xargs` payloads is matched against prefix rules with
 * globs. The strictest decision wins: a `deny` from any source cannot be lowered by an `allow`.
 */

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

/** The verdict on one simple command. */
export interface SimpleCommandVerdict {
  /** The normalised command text the rules were matched against (for example `rm -rf /`). */
  command: string;
  decision: PolicyDecision;
  /** The rule that decided; absent when no rule matched (the default applied). */
  rule?: PolicyRule;
}

/** The verdict on a whole command line. */
export interface CommandVerdict {
  /** The strictest decision of its simple commands (`ask` when the line does not parse). */
  decision: PolicyDecision;
  /** Each simple command, in source order. */
  commands: SimpleCommandVerdict[];
  /** The simple command that decided (the strictest one, first in source order). */
  decisive?: SimpleCommandVerdict;
  /** One sentence for the model and the user: what decided and why. */
  reason: string;
}
