/**
 * The command policy (issue 5): parse a shell command with tree-sitter-bash, decide allow / ask /
 * deny for each simple command from built-in, settings, profile, policy-file and session rules,
 * and gate every tool's command with approval and an audit log. See README.md here.
 */
export { createCommandGate, type AskUser, type AuditSink, type CommandApprovalAnswer, type CommandApprovalRequest, type CommandGateOptions } from './gate';
export { BUILTIN_RULES, CommandPolicy, describeRule, MAX_COMMAND_LENGTH, stricter, type CommandPolicyOptions, type EvaluateOptions } from './policy';
export { loadPolicyFile, policyFileSchema, policyRulesSchema, PolicyRuleError, rulesFromMap, type PolicyFile } from './rules';
export { sessionPatternFor, SessionRules } from './sessionRules';
export type { BuiltinRule, CommandVerdict, PolicyDecision, PolicyRule, RuleSource, SimpleCommandVerdict } from './types';
