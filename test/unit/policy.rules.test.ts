// User rules: sources and their precedence (the strictest wins, no allow lowers a deny), glob
// patterns and their word boundaries, session rules, defaults, and lines that do not parse.
import { beforeAll, describe, expect, it } from 'vitest';
import { CommandPolicy, PolicyRuleError, rulesFromMap, sessionPatternFor, SessionRules, type PolicyRule } from '../../server/src/policy';

const base = { workspaceRoot: '/work/shop-api', homeDir: '/home/ada' } as const;

function policyWith(rules: PolicyRule[], defaultDecision: 'allow' | 'ask' | 'deny' = 'ask'): Promise<CommandPolicy> {
  return CommandPolicy.create({ ...base, rules, defaultDecision });
}

describe('rule sources', () => {
  let policy: CommandPolicy;
  beforeAll(async () => {
    policy = await policyWith([
      ...rulesFromMap({ 'npm test*': 'allow', 'git push*': 'ask', 'rm -rf *': 'allow', 'docker *': 'deny' }, 'settings'),
      ...rulesFromMap({ 'docker ps*': 'allow', 'npm test --update*': 'deny', 'make*': 'allow' }, 'profile'),
      ...rulesFromMap({ 'make deploy*': 'deny' }, 'policy-file'),
    ]);
  });

  it('a user allow opens a command the default would ask about', () => {
    expect(policy.evaluate('npm test').decision).toBe('allow');
    expect(policy.evaluate('npm test -- --run src/a.test.ts')).toMatchObject({ decision: 'allow', decisive: { rule: { pattern: 'npm test*', source: 'settings' } } });
  });

  it('no allow of any source lowers a built-in deny or ask', () => {
    expect(policy.evaluate('rm -rf /')).toMatchObject({ decision: 'deny', decisive: { rule: { pattern: 'rm -rf /', source: 'builtin' } } });
    expect(policy.evaluate('rm -rf ~')).toMatchObject({ decision: 'deny' });
    expect(policy.evaluate('rm -rf "$DIR"')).toMatchObject({ decision: 'ask', decisive: { rule: { source: 'builtin' } } });
    expect(policy.evaluate('rm -rf ./build').decision).toBe('allow');
  });

  it("a deny from one source is not lowered by another source's allow, whatever their order", () => {
    expect(policy.evaluate('docker ps -a')).toMatchObject({ decision: 'deny', decisive: { rule: { pattern: 'docker *', source: 'settings' } } });
    expect(policy.evaluate('npm test --update-snapshots')).toMatchObject({ decision: 'deny', decisive: { rule: { source: 'profile' } } });
    expect(policy.evaluate('make deploy-prod')).toMatchObject({ decision: 'deny', decisive: { rule: { source: 'policy-file' } } });
    expect(policy.evaluate('make build').decision).toBe('allow');
  });

  it('a user ask or deny tightens a built-in allow', async () => {
    const strict = await policyWith(rulesFromMap({ 'cat *': 'ask', 'ls*': 'deny' }, 'settings'));
    expect(strict.evaluate('cat README.md')).toMatchObject({ decision: 'ask', decisive: { rule: { pattern: 'cat *', source: 'settings' } } });
    expect(strict.evaluate('ls -la')).toMatchObject({ decision: 'deny' });
    expect(strict.evaluate('git status').decision).toBe('allow');
  });

  it('each simple command of a line is judged, and the line gets the strictest', () => {
    expect(policy.evaluate('npm test && git push origin feature')).toMatchObject({ decision: 'ask', decisive: { command: 'git push origin feature' } });
    expect(policy.evaluate('ls | sudo docker ps')).toMatchObject({ decision: 'deny' });
    expect(policy.evaluate('npm test; echo done').commands.map((c) => [c.command, c.decision])).toEqual([
      ['npm test', 'allow'],
      ['echo done', 'allow'],
    ]);
  });

  it("user rules see the payloads of runners too: bash -c, xargs, find -exec, sudo's command", () => {
    expect(policy.evaluate("bash -c 'docker run x'").decision).toBe('deny');
    expect(policy.evaluate('echo x | xargs docker rm').decision).toBe('deny');
    expect(policy.evaluate('timeout 60 npm test').decision).toBe('allow');
    expect(policy.evaluate('sudo -n docker ps')).toMatchObject({ decision: 'deny', decisive: { via: ['sudo'] } });
  });

  it('keeps env prefixes out of the matched text but in the verdict', () => {
    const verdict = policy.evaluate('CI=1 FORCE_COLOR=0 npm test');
    expect(verdict).toMatchObject({ decision: 'allow', decisive: { command: 'npm test', assignments: ['CI=1', 'FORCE_COLOR=0'] } });
  });
});

describe('patterns', () => {
  it('a trailing * in an allow rule stops at a word boundary; in a deny rule it does not', async () => {
    const policy = await policyWith(rulesFromMap({ 'git log*': 'allow', 'git push --force*': 'deny', 'cargo b*': 'allow' }, 'settings'));
    expect(policy.evaluate('git logout-everything')).toMatchObject({ decision: 'ask' });
    expect(policy.evaluate('git push --force-with-lease origin feature')).toMatchObject({ decision: 'deny', decisive: { rule: { pattern: 'git push --force*' } } });
    expect(policy.evaluate('cargo build').decision).toBe('ask');
    expect(policy.evaluate('cargo b --release').decision).toBe('allow');
  });

  it('a trailing " *" also matches the bare prefix, and * crosses spaces and slashes', async () => {
    const policy = await policyWith(rulesFromMap({ 'npm run *': 'allow', 'node scripts/*.mjs *': 'allow', 'terraform apply': 'deny' }, 'profile'));
    expect(policy.evaluate('npm run').decision).toBe('allow');
    expect(policy.evaluate('npm run build -- --watch src/index.ts').decision).toBe('allow');
    expect(policy.evaluate('node scripts/gen/schema.mjs --out dist/x.json').decision).toBe('allow');
    expect(policy.evaluate('terraform apply').decision).toBe('deny');
    expect(policy.evaluate('terraform apply -auto-approve').decision).toBe('ask');
  });

  it('understands braces, ? and escaped stars; collapses spaces; never negates', async () => {
    const policy = await policyWith(rulesFromMap({ 'npm {test,run lint}*': 'allow', 'echo a\\*': 'deny', '  pnpm    install ': 'allow', '!rm*': 'allow' }, 'settings'));
    expect(policy.evaluate('npm run lint --fix').decision).toBe('allow');
    expect(policy.evaluate('npm run build').decision).toBe('ask');
    expect(policy.evaluate("echo 'a*'").decision).toBe('deny');
    expect(policy.evaluate('echo ab').decision).toBe('allow');
    expect(policy.evaluate('pnpm install').decision).toBe('allow');
    expect(policy.evaluate('rm a.txt').decision).toBe('ask');
  });

  it('matches git commands also without their global options, for allows only when those are harmless', async () => {
    const policy = await policyWith(rulesFromMap({ 'git fetch*': 'allow', 'git push*': 'deny' }, 'settings'));
    expect(policy.evaluate('git -C ../lib fetch origin').decision).toBe('allow');
    expect(policy.evaluate('git -c core.sshCommand=./x fetch').decision).toBe('ask');
    expect(policy.evaluate('git -c x=y push origin feature').decision).toBe('deny');
  });

  it('applies the default to commands no rule matches, and says so', async () => {
    const deny = await policyWith([], 'deny');
    expect(deny.evaluate('make')).toMatchObject({ decision: 'deny', reason: '`make` matches no rule, and commands without a rule are denied here.' });
    expect(deny.evaluate('ls').decision).toBe('allow');
    const allow = await policyWith([], 'allow');
    expect(allow.evaluate('make').decision).toBe('allow');
    expect(allow.evaluate('rm -rf ~').decision).toBe('deny');
  });
});

describe('session rules ("Always allow in this session")', () => {
  it('allow what the default asked about, for later commands of the session only', async () => {
    const policy = await policyWith(rulesFromMap({ 'npm publish*': 'deny' }, 'settings'));
    const session = new SessionRules();
    expect(policy.evaluate('npm run build', { session }).decision).toBe('ask');
    const pattern = sessionPatternFor({ command: 'npm run build' });
    expect(pattern).toBe('npm run*');
    session.allow(pattern);
    expect(policy.evaluate('npm run build', { session })).toMatchObject({ decision: 'allow', decisive: { rule: { pattern: 'npm run*', source: 'session' } } });
    expect(policy.evaluate('npm run test:unit -- --watch', { session }).decision).toBe('allow');
    expect(policy.evaluate('npm run build').decision).toBe('ask');
  });

  it('can never lower a deny or a built-in ask', async () => {
    const policy = await policyWith(rulesFromMap({ 'npm publish*': 'deny' }, 'settings'));
    const session = new SessionRules();
    session.allow('*');
    expect(policy.evaluate('npm publish', { session }).decision).toBe('deny');
    expect(policy.evaluate('rm -rf /', { session }).decision).toBe('deny');
    expect(policy.evaluate('sudo make install', { session }).decision).toBe('ask');
    expect(policy.evaluate('make install', { session }).decision).toBe('allow');
  });

  it('makes patterns of the program and its subcommand, escaping globs, once each', () => {
    expect(sessionPatternFor({ command: 'make' })).toBe('make');
    expect(sessionPatternFor({ command: 'cargo test --release' })).toBe('cargo test*');
    expect(sessionPatternFor({ command: 'python3 tools/gen.py --all' })).toBe('python3*');
    expect(sessionPatternFor({ command: 'rm -rf ./build' })).toBe('rm*');
    expect(sessionPatternFor({ command: 'ab[c] --flag' })).toBe('ab\\[c\\]*');
    const session = new SessionRules();
    session.allow('make*');
    session.allow(' make* ');
    expect(session.rules).toEqual([{ pattern: 'make*', decision: 'allow', source: 'session' }]);
  });
});

describe('lines the policy cannot read completely', () => {
  it('asks (fails closed) when the line does not parse, unless a command in it is denied', async () => {
    const policy = await policyWith(rulesFromMap({ '*': 'allow' }, 'settings'));
    expect(policy.evaluate("echo 'unclosed")).toMatchObject({ decision: 'ask', reason: expect.stringContaining('does not parse') as unknown });
    expect(policy.evaluate("echo 'unclosed").decisive).toBeUndefined();
    expect(policy.evaluate('ls; rm -rf / ;;').decision).toBe('deny');
  });

  it('asks about a command that is too long to read, or scripts nested too deep', async () => {
    const policy = await policyWith(rulesFromMap({ '*': 'allow' }, 'settings'));
    expect(policy.evaluate(`echo ${'x'.repeat(100_001)}`)).toMatchObject({ decision: 'ask', reason: expect.stringContaining('cannot be checked') as unknown });
    let nested = 'ls';
    for (let depth = 0; depth < 10; depth += 1) nested = `bash -c ${JSON.stringify(nested)}`;
    expect(policy.evaluate(nested)).toMatchObject({ decision: 'ask', reason: expect.stringContaining('nested more than 8 deep') as unknown });
    const deep = `echo ${'$('.repeat(5_000)}ls${')'.repeat(5_000)}`;
    expect(policy.evaluate(deep).decision).toBe('ask');
    expect(policy.evaluate(`${'('.repeat(5_000)}ls${')'.repeat(5_000)}`)).toMatchObject({ decision: 'ask', reason: expect.stringContaining('more than 64 deep') as unknown });
  });

  it('allows an empty line: it runs nothing', async () => {
    const policy = await policyWith([]);
    expect(policy.evaluate('   ')).toEqual({ decision: 'allow', commands: [], reason: 'It runs no command.' });
    expect(policy.evaluate('# just a comment').decision).toBe('allow');
  });
});

describe('rulesFromMap', () => {
  it('says which rule is wrong and what to write', () => {
    expect(() => rulesFromMap({ 'git push*': 'block' }, 'settings', 'the setting moco.policy.rules')).toThrow(PolicyRuleError);
    expect(() => rulesFromMap({ 'git push*': 'block' }, 'settings', 'the setting moco.policy.rules')).toThrow(
      'the setting moco.policy.rules: the rule "git push*" has the decision "block"; write allow, ask or deny, for example "git push*": ask',
    );
    expect(() => rulesFromMap({ '  ': 'allow' }, 'profile')).toThrow('profile: a rule has an empty pattern');
  });
});
