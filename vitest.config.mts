// One runner for the three tiers (CONVENTIONS.md §9): `vitest run --project unit|integration|e2e`.
import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as {
  version: string;
};
const define = { __MOCO_VERSION__: JSON.stringify(pkg.version) };

export default defineConfig({
  test: {
    projects: [
      { define, test: { name: 'unit', include: ['test/unit/**/*.test.ts'], environment: 'node' } },
      {
        define,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        define,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          // Each test drives a real VS Code (~2.4 GiB): run this project with --no-file-parallelism.
          testTimeout: 240_000,
          hookTimeout: 240_000,
        },
      },
    ],
  },
});
