/**
 * User rules from their sources: maps of `pattern: decision` (settings `moco.policy.rules`, the
 * profile's `policy.rules`) and the CLI's policy file (`--policy FILE`, YAML
 * `{default?: allow|ask|deny, rules: {pattern: decision}}`), checked with zod.
 */
import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { lineOfPath, type LocatedYaml } from '../profiles/yamlLocation';
import { normalisePattern } from './patterns';
import type { PolicyDecision, PolicyRule, RuleSource } from './types';

const decisionSchema = z.enum(['allow', 'ask', 'deny']);

/** A map of rules as settings and profiles write it: `{"git log*": "allow"}`. */
export const policyRulesSchema = z.record(z.string(), decisionSchema);

/** The policy file's schema. Unknown keys are errors (a typo must not silently drop a rule). */
export const policyFileSchema = z.strictObject({
  default: decisionSchema.optional(),
  rules: policyRulesSchema.default({}),
});

/** What a policy file holds. */
export interface PolicyFile {
  /** The decision for commands no rule matches, when the file sets one. */
  defaultDecision?: PolicyDecision;
  /** Its rules, source `policy-file`. */
  rules: PolicyRule[];
}

const EXAMPLE = 'default: ask\nrules:\n  "git log*": allow\n  "npm test*": allow\n  "git push --force*": deny';

/** A rule map or policy file that cannot be used. `message` says where, what is wrong and what to write. */
export class PolicyRuleError extends Error {
  /**
   * @param where the file (with `:line` when known) or the setting at fault.
   * @param problem what is wrong and what to write instead.
   */
  constructor(
    readonly where: string,
    readonly problem: string,
  ) {
    super(`${where}: ${problem}`);
    this.name = 'PolicyRuleError';
  }
}

/**
 * Rules from a map of `pattern: decision`, in the map's order.
 * @param where names the source in errors (`the setting moco.policy.rules`, a file path).
 * @throws {PolicyRuleError} for an empty pattern or a decision other than allow, ask or deny.
 */
export function rulesFromMap(map: Readonly<Record<string, string>>, source: RuleSource, where: string = source): PolicyRule[] {
  return Object.entries(map).map(([pattern, decision]) => {
    const normal = normalisePattern(pattern);
    if (normal === '') throw new PolicyRuleError(where, 'a rule has an empty pattern; write a command prefix, for example "git log*": allow');
    const parsed = decisionSchema.safeParse(decision);
    if (!parsed.success) {
      throw new PolicyRuleError(where, `the rule "${pattern}" has the decision ${JSON.stringify(decision)}; write allow, ask or deny, for example "${pattern}": ask`);
    }
    return { pattern: normal, decision: parsed.data, source };
  });
}

/**
 * Reads a policy file (YAML 1.2).
 * @throws {PolicyRuleError} when the file cannot be read, is not valid YAML, or does not have the
 *   expected shape; the message has the file, the line, and an example of a valid file.
 */
export async function loadPolicyFile(file: string): Promise<PolicyFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'the file does not exist' : `it cannot be read (${(error as Error).message})`;
    throw new PolicyRuleError(file, `${why}. Give --policy a YAML file such as:\n${EXAMPLE}`);
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true });
  const syntax = doc.errors[0];
  if (syntax) {
    const line = syntax.linePos?.[0].line;
    throw new PolicyRuleError(line === undefined ? file : `${file}:${line}`, `YAML syntax error: ${syntax.message.split('\n')[0] ?? ''}. Fix the YAML; a policy file looks like:\n${EXAMPLE}`);
  }
  const data = (doc.toJS() ?? {}) as unknown;
  const parsed = policyFileSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const located: LocatedYaml = { file, doc, lineCounter, data };
    const line = lineOfPath(located, issue?.path ?? []);
    throw new PolicyRuleError(`${file}:${line}`, `${describeIssue(issue, data)}. A policy file looks like:\n${EXAMPLE}`);
  }
  const rules = rulesFromMap(parsed.data.rules, 'policy-file', file);
  return parsed.data.default === undefined ? { rules } : { defaultDecision: parsed.data.default, rules };
}

function describeIssue(issue: z.core.$ZodIssue | undefined, data: unknown): string {
  if (!issue) return 'the file does not have the expected shape';
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => `"${key}"`).join(', ')}; only "default" and "rules" are allowed`;
  if (path.length === 0) return `the file must be a map with "default" and "rules", not ${kindOf(data)}`;
  if (path[0] === 'default') return 'default must be allow, ask or deny';
  if (path.length === 1) return 'rules must be a map of command pattern: allow | ask | deny';
  return `the rule "${path.slice(1).join('.')}" must be allow, ask or deny`;
}

function kindOf(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  return value === null ? 'empty' : `a ${typeof value}`;
}
