/**
 * The command policy: parses a command line with tree-sitter-bash, finds each simple command
 * (extract.ts), and gives each the strictest decision of the rules that match it: the built-in
 * rules (predicates, builtinDeny/Ask/Allow.ts) and the user's rules (patterns, patterns.ts). The
 * line gets the strictest decision of its commands; a line that does not parse completely gets at
 * least `ask`. No rule of any source lowers another's decision.
 */
import type { Parser } from '../treeSitter';
import { createParser } from '../treeSitter';
import { ALLOW_RULES } from './builtinAllow';
import { ASK_RULES } from './builtinAsk';
import { DENY_RULES } from './builtinDeny';
import { extractCommands } from './extract';
import { parseGit } from './git';
import { compilePattern, type PatternMatcher } from './patterns';
import type { SessionRules } from './sessionRules';
import { redirectText, type SimpleCommand } from './simpleCommand';
import type { BuiltinRule, CommandVerdict, PolicyDecision, PolicyRule, RuleSource, SimpleCommandVerdict } from './types';

/** Every built-in rule, deny first, then ask, then allow. Each has a pattern-like label and a reason. */
export const BUILTIN_RULES: readonly BuiltinRule[] = [...DENY_RULES, ...ASK_RULES, ...ALLOW_RULES];

/** Longer command lines are not parsed: they get `ask`. */
export const MAX_COMMAND_LENGTH = 100_000;

const RANK: Record<PolicyDecision, number> = { allow: 0, ask: 1, deny: 2 };

/** The strictest of two decisions (`deny` > `ask` > `allow`). */
export function stricter(a: PolicyDecision, b: PolicyDecision): PolicyDecision {
  return RANK[a] >= RANK[b] ? a : b;
}

/** Options of {@link CommandPolicy.create}. */
export interface CommandPolicyOptions {
  /** User rules, in order: settings (`moco.policy.rules`), the profile (`policy.rules`), a policy file. The built-in rules are always added. */
  rules: readonly PolicyRule[];
  /** The decision for a simple command no rule matches: `ask` in the editor; the CLI's choice otherwise. */
  defaultDecision: PolicyDecision;
  /** Real path of the workspace root: deleting it is denied; relative paths resolve against it. */
  workspaceRoot: string;
  /** The user's home folder (`os.homedir()`): `~` and `$HOME`. */
  homeDir: string;
}

/** Options of one {@link CommandPolicy.evaluate}. */
export interface EvaluateOptions {
  /** The session's "Always allow" rules. */
  session?: SessionRules;
  /** Absolute directory the line starts in; default the workspace root. */
  cwd?: string;
}

interface CompiledRule {
  rule: PolicyRule;
  matches: PatternMatcher;
}

/** A command policy for one workspace. `evaluate` is synchronous (about 0.05–0.3 ms a line). */
export class CommandPolicy {
  private readonly userRules: CompiledRule[];
  private readonly sessionCache = new Map<string, CompiledRule>();
  private readonly general: BuiltinRule[];
  private readonly byName = new Map<string, BuiltinRule[]>();

  private constructor(
    private readonly parser: Parser,
    private readonly options: CommandPolicyOptions,
  ) {
    this.userRules = options.rules.map((rule) => compileRule(rule));
    this.general = BUILTIN_RULES.filter((rule) => rule.names === undefined);
    for (const name of new Set(BUILTIN_RULES.flatMap((rule) => rule.names ?? []))) {
      this.byName.set(name, BUILTIN_RULES.filter((rule) => rule.names === undefined || rule.names.includes(name)));
    }
  }

  /**
   * Loads the bash grammar (once per process) and compiles the rules.
   * @throws {Error} when a rule's pattern is empty, or tree-sitter cannot be loaded.
   */
  static async create(options: CommandPolicyOptions): Promise<CommandPolicy> {
    return new CommandPolicy(await createParser('bash'), options);
  }

  /** The decision for commands no rule matches. */
  get defaultDecision(): PolicyDecision {
    return this.options.defaultDecision;
  }

  /** Evaluates a command line. Never throws on bad input: what cannot be read gets `ask`. */
  evaluate(line: string, options: EvaluateOptions = {}): CommandVerdict {
    if (line.length > MAX_COMMAND_LENGTH) {
      return { decision: 'ask', commands: [], reason: `The command is ${line.length} characters long, more than the ${MAX_COMMAND_LENGTH} the policy reads, so it cannot be checked.` };
    }
    const { workspaceRoot, homeDir } = this.options;
    let extraction: ReturnType<typeof extractCommands>;
    try {
      extraction = extractCommands(this.parser, line, { workspaceRoot, homeDir, cwd: options.cwd ?? workspaceRoot });
    } catch (error) {
      // A pathological line (the stack overflows on its nesting): fail closed.
      return { decision: 'ask', commands: [], reason: `The command is too complex to check (${(error as Error).message}).` };
    }
    const rules = [...this.userRules, ...this.session(options.session)];
    const commands = extraction.commands.map((command) => this.judge(command, rules));
    let decisive = commands.reduce<SimpleCommandVerdict | undefined>((best, verdict) => (best === undefined || weight(verdict) > weight(best) ? verdict : best), undefined);
    let decision: PolicyDecision = decisive?.decision ?? 'allow';
    if (extraction.problems.length > 0 && RANK[decision] < RANK.ask) {
      decision = 'ask';
      decisive = undefined;
    }
    const verdict: CommandVerdict = { decision, commands, reason: '' };
    if (decisive) verdict.decisive = decisive;
    verdict.reason = explain(verdict, extraction.problems, this.options.defaultDecision);
    return verdict;
  }

  private session(rules: SessionRules | undefined): CompiledRule[] {
    return (rules?.rules ?? []).map((rule) => {
      const key = `${rule.decision}\0${rule.pattern}`;
      let compiled = this.sessionCache.get(key);
      if (!compiled) {
        compiled = compileRule(rule);
        this.sessionCache.set(key, compiled);
      }
      return compiled;
    });
  }

  private judge(command: SimpleCommand, rules: readonly CompiledRule[]): SimpleCommandVerdict {
    let chosen: PolicyRule | undefined;
    for (const rule of this.byName.get(command.name) ?? this.general) {
      if ((chosen === undefined || RANK[rule.decision] > RANK[chosen.decision]) && rule.test(command)) chosen = rule;
    }
    const views = matchViews(command);
    for (const { rule, matches } of rules) {
      if (chosen !== undefined && RANK[rule.decision] <= RANK[chosen.decision]) continue;
      const texts = rule.decision === 'allow' ? views.allow : views.strict;
      if (texts.some((text) => matches(text))) chosen = rule;
    }
    const verdict: SimpleCommandVerdict = { command: command.text, decision: chosen?.decision ?? this.options.defaultDecision };
    if (chosen) verdict.rule = plainRule(chosen);
    if (command.assignments.length > 0) verdict.assignments = command.assignments;
    if (command.via.length > 0) verdict.via = command.via;
    if (command.redirects.length > 0) verdict.redirects = command.redirects.map(redirectText);
    return verdict;
  }
}

/** Orders verdicts for the decisive one: the strictest decision; at equal decisions, one a rule made over the default's. */
function weight(verdict: SimpleCommandVerdict): number {
  return RANK[verdict.decision] * 2 + (verdict.rule ? 1 : 0);
}

function compileRule(rule: PolicyRule): CompiledRule {
  return { rule: plainRule(rule), matches: compilePattern(rule.pattern, rule.decision) };
}

/** A rule without its predicate (verdicts travel over JSON-RPC and into the audit log). */
function plainRule(rule: PolicyRule): PolicyRule {
  const plain: PolicyRule = { pattern: rule.pattern, decision: rule.decision, source: rule.source };
  if (rule.reason !== undefined) plain.reason = rule.reason;
  return plain;
}

/**
 * The texts user patterns are matched against. `git -C sub log` is also seen as `git log`; for an
 * allow only when its global options are harmless (`git -c core.pager=x log` is not `git log`).
 */
function matchViews(command: SimpleCommand): { strict: string[]; allow: string[] } {
  if (command.name !== 'git' || command.words.length < 2) return { strict: [command.text], allow: [command.text] };
  const git = parseGit(command.words);
  if (git.plain === command.text) return { strict: [command.text], allow: [command.text] };
  return { strict: [command.text, git.plain], allow: git.riskyGlobals ? [command.text] : [command.text, git.plain] };
}

const SOURCE_WORDS: Record<RuleSource, string> = {
  builtin: 'built-in',
  settings: 'settings (moco.policy.rules)',
  profile: "profile's",
  'policy-file': 'policy file',
  session: 'session',
};

/** Names the rule: `the built-in rule "rm -rf /"`. */
export function describeRule(rule: PolicyRule): string {
  return `the ${SOURCE_WORDS[rule.source]} rule "${rule.pattern}"`;
}

function explain(verdict: CommandVerdict, problems: readonly string[], fallback: PolicyDecision): string {
  const decisive = verdict.decisive;
  if (!decisive) {
    if (problems.length > 0) return `It needs approval: ${problems.join('; ')}, so it cannot be checked completely.`;
    return verdict.commands.length === 0 ? 'It runs no command.' : 'Every command in it is allowed.';
  }
  if (verdict.decision === 'allow') return 'Every command in it is allowed.';
  const command = `\`${clip([decisive.command, ...(decisive.redirects ?? [])].join(' '))}\``;
  const rule = decisive.rule;
  if (!rule) {
    const what = fallback === 'deny' ? 'are denied here' : fallback === 'ask' ? 'need approval' : 'are allowed';
    return `${command} matches no rule, and commands without a rule ${what}.`;
  }
  const why = rule.reason ? `: ${rule.reason}` : '';
  const verb = verdict.decision === 'deny' ? 'is denied' : verdict.decision === 'ask' ? 'needs approval' : 'is allowed';
  return `${command} ${verb} by ${describeRule(rule)}${why}.`;
}

/** Long commands are cut in reasons (the audit log keeps the whole line). */
function clip(text: string, max = 200): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
