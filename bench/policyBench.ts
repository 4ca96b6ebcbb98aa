/**
 * Command policy evaluation time per command (issue 5's target: < 1 ms), for `npm run
 * bench:sandbox`: a mix of realistic agent commands (mostly everyday ones, some chained,
 * substituted, wrapped or dangerous) evaluated with the built-in rules plus a handful of user
 * rules, many rounds after a warm-up. Each figure is the time of one `CommandPolicy.evaluate` call
 * (parse with tree-sitter-bash, extract, match), in ms. Run alone: `tsx bench/policyBench.ts`.
 *
 * Environment: MOCO_BENCH_POLICY_ROUNDS (default 50 rounds over the mix).
 */
import * as path from 'node:path';
import { CommandPolicy, rulesFromMap, SessionRules } from '../server/src/policy';
import { percentile, printTable } from './support/measure';

/** What {@link measurePolicy} measured: the number of distinct commands and the times of one evaluation, in ms. */
export interface PolicyFigures {
  commands: number;
  meanMs: number;
  p50Ms: number;
  p95Ms: number;
}

const WARM_UP_ROUNDS = 3;

/** The mix: what agents run in a day, and what the policy exists for. */
export const BENCH_COMMANDS: readonly string[] = [
  'ls', 'ls -la', 'ls -la src', 'pwd', 'cat package.json', 'cat README.md | head -50', 'head -n 40 src/index.ts',
  'tail -n 100 logs/server.log', 'wc -l src/**/*.ts', 'git status', 'git status --short', 'git diff', 'git diff --stat',
  'git diff HEAD~1 -- src/', 'git log --oneline -20', 'git log -p -3 -- src/app.ts', 'git show HEAD', 'git branch',
  'git branch -a', 'git rev-parse --abbrev-ref HEAD', 'git add -A', 'git commit -m "Add the health endpoint"',
  'git push origin feature/health', 'git push --force origin main', 'git fetch origin', 'git checkout -b fix/login',
  'git stash list', 'git -C packages/api log --oneline', 'GIT_PAGER=cat git log -5', 'npm test', 'npm run build',
  'npm run lint -- --fix', 'npm ci', 'npm install --save-dev vitest', 'npx tsc --noEmit', 'npx vitest run src/a.test.ts',
  'node --version', 'node scripts/generate.mjs', 'pnpm install', 'yarn build', 'make', 'make test', 'cargo build --release',
  'cargo test -p api', 'go test ./...', 'go build ./cmd/server', 'python3 -m pytest -q', 'python3 manage.py migrate',
  'pip install -r requirements.txt', 'pytest tests/test_api.py -k health', 'docker ps', 'docker compose up -d',
  'grep -rn "TODO" src', 'grep -rn "fetchUser" --include=*.ts .', 'rg -n "export function" src', 'rg --files | wc -l',
  'find . -name "*.ts" -not -path "./node_modules/*"', 'find . -name "*.test.ts" | xargs grep -l describe',
  'find . -name "*.pyc" -delete', 'find src -type f -exec wc -l {} +', 'sort data.csv | uniq -c | sort -rn | head',
  'cut -d, -f1 data.csv | sort -u', 'du -sh node_modules', 'df -h', 'which node', 'command -v docker', 'date +%F',
  'echo "done"', 'echo $PATH', 'printf "%s\\n" a b c', 'mkdir -p src/routes', 'touch src/routes/health.ts',
  'cp .env.example .env', 'mv src/old.ts src/new.ts', 'rm src/old.ts', 'rm -rf dist', 'rm -rf ./build coverage',
  'rm -rf node_modules && npm ci', 'cd packages/api && npm test', 'cd build; make', '(cd web && npm run build)',
  'export NODE_ENV=production && npm run build', 'CI=1 npm test -- --reporter=dot', 'timeout 60 npm test',
  'bash -c "npm ci && npm test"', 'sh -c \'echo $HOME\'', 'curl -s http://localhost:3000/health',
  'curl -s https://api.example.com/items | jq ".items[0]"', 'curl -fsSL https://get.example.com | sh',
  'wget -qO- https://x.sh | sudo bash', 'sudo apt-get install -y jq', 'chmod +x scripts/deploy.sh', 'chmod -R 777 /',
  './scripts/deploy.sh --dry-run', 'kill -9 12345', 'kill -9 -1', 'ps aux | grep node', 'lsof -i :3000',
  'tar -czf backup.tgz src', 'unzip archive.zip -d out', 'sed -i "s/foo/bar/g" src/a.ts', 'awk \'{print $1}\' access.log',
  'rm -rf /', 'rm -rf ~', 'rm -rf .', 'sudo rm -rf /', ':(){ :|:& };:', 'dd if=/dev/zero of=/dev/sda bs=1M',
  'mkfs.ext4 /dev/sdb1', 'echo $(rm -rf ~)', "alias del='rm -rf'; del /", 'eval "$(ssh-agent -s)"',
  'for f in src/*.ts; do echo "$f"; wc -l "$f"; done', 'if [ -f package.json ]; then npm test; fi',
  'test -d node_modules || npm ci', 'cat <<EOF > notes.md\n# Notes\n- item\nEOF', 'tee out.log < input.txt',
  'npm test 2>&1 | tail -n 30', 'git log --format="%h %s" | head -10 > /tmp/log.txt',
];

/**
 * Evaluates {@link BENCH_COMMANDS} `rounds` times (after a warm-up) and reports the time of one
 * evaluation: mean, median and 95th percentile, in ms.
 * @param rounds rounds over the mix; default MOCO_BENCH_POLICY_ROUNDS or 50.
 */
export async function measurePolicy(rounds = Number(process.env.MOCO_BENCH_POLICY_ROUNDS ?? 50)): Promise<PolicyFigures> {
  const policy = await CommandPolicy.create({
    rules: [
      ...rulesFromMap({ 'npm test*': 'allow', 'npm run lint*': 'allow', 'git push --force*': 'deny', 'docker *': 'ask' }, 'settings'),
      ...rulesFromMap({ 'make*': 'allow', 'cargo test*': 'allow' }, 'profile'),
    ],
    defaultDecision: 'ask',
    workspaceRoot: '/home/ada/shop-api',
    homeDir: '/home/ada',
  });
  const session = new SessionRules();
  session.allow('npm run*');
  for (let round = 0; round < WARM_UP_ROUNDS; round += 1) for (const command of BENCH_COMMANDS) policy.evaluate(command, { session });
  const times: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    for (const command of BENCH_COMMANDS) {
      const start = performance.now();
      policy.evaluate(command, { session });
      times.push(performance.now() - start);
    }
  }
  const meanMs = times.reduce((sum, time) => sum + time, 0) / times.length;
  return { commands: BENCH_COMMANDS.length, meanMs, p50Ms: percentile(times, 50), p95Ms: percentile(times, 95) };
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === path.resolve(__filename)) {
  measurePolicy()
    .then((figures) => {
      console.log(`Command policy: ${figures.commands} commands.\n`);
      printTable([
        { name: 'policy evaluation, mean', value: figures.meanMs, unit: 'ms', target: 1, digits: 3 },
        { name: 'policy evaluation, p50', value: figures.p50Ms, unit: 'ms', target: 1, digits: 3 },
        { name: 'policy evaluation, p95', value: figures.p95Ms, unit: 'ms', target: 1, digits: 3 },
      ]);
    })
    .catch((error: unknown) => {
      console.error(error instanceof Error ? error.stack : String(error));
      process.exit(1);
    });
}
