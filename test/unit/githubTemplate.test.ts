/** Where GitHub's pull request template is found, in real folders. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findPullRequestTemplate } from '../../server/src/github/template';
import { writeFiles } from '../support/gitRepos';

const dirs: string[] = [];
async function folder(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'moco-template-'));
  dirs.push(dir);
  await writeFiles(dir, files);
  return dir;
}

afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('findPullRequestTemplate', () => {
  it('finds .github/pull_request_template.md', async () => {
    const dir = await folder({ '.github/pull_request_template.md': '## Summary\r\n\r\n- [ ] Tests\r\n' });
    expect(await findPullRequestTemplate(dir)).toEqual({ path: '.github/pull_request_template.md', text: '## Summary\n\n- [ ] Tests' });
  });

  it('finds the upper-case name, the root and docs/, in that order', async () => {
    expect((await findPullRequestTemplate(await folder({ '.github/PULL_REQUEST_TEMPLATE.md': 'A', 'PULL_REQUEST_TEMPLATE.md': 'B' })))?.path).toBe('.github/PULL_REQUEST_TEMPLATE.md');
    expect((await findPullRequestTemplate(await folder({ 'PULL_REQUEST_TEMPLATE.md': 'B', 'docs/pull_request_template.md': 'C' })))?.path).toBe('PULL_REQUEST_TEMPLATE.md');
    expect((await findPullRequestTemplate(await folder({ 'docs/pull_request_template.md': 'C' })))?.text).toBe('C');
  });

  it('takes the first file of a PULL_REQUEST_TEMPLATE folder when there is no single template', async () => {
    const dir = await folder({ '.github/PULL_REQUEST_TEMPLATE/feature.md': 'F', '.github/PULL_REQUEST_TEMPLATE/bugfix.md': 'B' });
    expect(await findPullRequestTemplate(dir)).toEqual({ path: '.github/PULL_REQUEST_TEMPLATE/bugfix.md', text: 'B' });
  });

  it('gives undefined without a template, or with an empty one', async () => {
    expect(await findPullRequestTemplate(await folder({ 'README.md': '# x' }))).toBeUndefined();
    expect(await findPullRequestTemplate(await folder({ '.github/pull_request_template.md': '  \n' }))).toBeUndefined();
  });
});
