// The CLI's policy file (`--policy FILE`): what it gives the policy, and the errors a user sees
// (file, line, what is wrong, an example of a valid file).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CommandPolicy, loadPolicyFile, PolicyRuleError } from '../../server/src/policy';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'moco-policy-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function fileWith(text: string): Promise<string> {
  const file = path.join(dir, 'policy.yaml');
  await writeFile(file, text);
  return file;
}

async function failureOf(file: string): Promise<PolicyRuleError> {
  const error = await loadPolicyFile(file).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(PolicyRuleError);
  return error as PolicyRuleError;
}

describe('loadPolicyFile', () => {
  it('reads the default and the rules, in order, as policy-file rules the policy applies', async () => {
    const file = await fileWith('# CI policy\ndefault: deny\nrules:\n  "npm ci": allow\n  "npm test*": allow\n  "git push*": ask\n');
    const loaded = await loadPolicyFile(file);
    expect(loaded).toEqual({
      defaultDecision: 'deny',
      rules: [
        { pattern: 'npm ci', decision: 'allow', source: 'policy-file' },
        { pattern: 'npm test*', decision: 'allow', source: 'policy-file' },
        { pattern: 'git push*', decision: 'ask', source: 'policy-file' },
      ],
    });
    const policy = await CommandPolicy.create({ rules: loaded.rules, defaultDecision: loaded.defaultDecision ?? 'ask', workspaceRoot: '/w', homeDir: '/home/ada' });
    expect(policy.evaluate('npm ci && npm test').decision).toBe('allow');
    expect(policy.evaluate('make').decision).toBe('deny');
    expect(policy.evaluate('rm -rf ~').decision).toBe('deny');
  });

  it('accepts a file with rules only, or an empty file', async () => {
    expect(await loadPolicyFile(await fileWith('rules:\n  "make*": allow\n'))).toEqual({ rules: [{ pattern: 'make*', decision: 'allow', source: 'policy-file' }] });
    expect(await loadPolicyFile(await fileWith(''))).toEqual({ rules: [] });
  });

  it('names the rule and its line when a decision is wrong', async () => {
    const file = await fileWith('default: ask\nrules:\n  "npm test*": allow\n  "git push*": block\n');
    const failure = await failureOf(file);
    expect(failure.message).toContain(`${file}:4: the rule "git push*" must be allow, ask or deny`);
    expect(failure.message).toContain('A policy file looks like:\ndefault: ask\nrules:\n  "git log*": allow');
  });

  it('names a wrong default, an unknown key and a file that is not a map', async () => {
    expect((await failureOf(await fileWith('default: yes-please\n'))).message).toContain(':1: default must be allow, ask or deny');
    expect((await failureOf(await fileWith('rules: {}\nrule:\n  "ls": allow\n'))).message).toMatch(/policy\.yaml:\d+: unknown key "rule"; only "default" and "rules" are allowed/);
    expect((await failureOf(await fileWith('- ls\n- cat\n'))).message).toContain('the file must be a map with "default" and "rules", not a list');
    expect((await failureOf(await fileWith('rules:\n  - "ls": allow\n'))).message).toContain(':1: rules must be a map of command pattern: allow | ask | deny');
  });

  it('reports a YAML syntax error with its line', async () => {
    const file = await fileWith('rules:\n  "ls": allow\n  "cat: allow\n');
    const failure = await failureOf(file);
    expect(failure.message).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+: YAML syntax error`));
    expect(failure.message).toContain('Fix the YAML');
  });

  it('says when the file does not exist, and what to give --policy', async () => {
    const failure = await failureOf(path.join(dir, 'missing.yaml'));
    expect(failure.message).toContain('missing.yaml: the file does not exist. Give --policy a YAML file such as:');
  });
});
