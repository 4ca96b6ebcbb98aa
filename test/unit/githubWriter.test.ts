/**
 * The model's part of pr/create: what it is asked (commits, diff, template, language, the model of
 * the request's profile and provider), and the text taken from its answer, or from the commits
 * when the answer has no title.
 */
import { rm } from 'node:fs/promises';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatSendParams } from '../../protocol/run';
import type { ModelFor } from '../../server/src/engine/engine';
import { writePullRequestText } from '../../server/src/github/createPullRequest';
import type { PreparedPullRequest } from '../../server/src/github/pullRequest';
import type { ModelRequest } from '../../server/src/providers/types';
import { commitAll, createRepo, git, writeFiles } from '../support/gitRepos';

const folders: string[] = [];
afterEach(async () => {
  await Promise.all(folders.splice(0).map((folder) => rm(folder, { recursive: true, force: true })));
});

/** An engine whose model answers `answer`, recording the requests and the params of modelFor. */
function engineAnswering(answer: string): { engine: { modelFor(params: ChatSendParams): Promise<ModelFor> }; requests: ModelRequest[]; asked: ChatSendParams[] } {
  const requests: ModelRequest[] = [];
  const asked: ChatSendParams[] = [];
  const provider = {
    id: 'test',
    complete: (request: ModelRequest) => {
      requests.push(request);
      return Promise.resolve({ text: answer, thinking: '', toolCalls: [], finishReason: 'stop' });
    },
  };
  const engine = {
    modelFor: (params: ChatSendParams) => {
      asked.push(params);
      return Promise.resolve({ target: {}, binding: { provider, model: 'test-model' } } as unknown as ModelFor);
    },
  };
  return { engine, requests, asked };
}

async function prepared(): Promise<PreparedPullRequest> {
  const root = await createRepo({ 'README.md': '# Hi\n', '.github/PULL_REQUEST_TEMPLATE.md': '## Why\n\n- [ ] Tested\n' }, { commit: 'Initial commit' });
  folders.push(path.dirname(root));
  await git(root, 'switch', '-q', '-c', 'feature');
  await writeFiles(root, { 'src/a.ts': 'export const a = 1;\n' });
  await commitAll(root, 'Add a');
  await writeFiles(root, { 'src/b.ts': 'export const b = 2;\n' });
  await commitAll(root, 'Add b');
  const commits = [
    { hash: 'b', subject: 'Add b', body: '' },
    { hash: 'a', subject: 'Add a', body: '' },
  ];
  return { root, remote: 'origin', base: 'main', baseRef: 'main', branch: 'feature', createBranch: false, commits } as unknown as PreparedPullRequest;
}

describe('writePullRequestText', () => {
  it("asks the request's model with the commits, the diff, the template and the language", async () => {
    const { engine, requests, asked } = engineAnswering('Add a and b\n\n## Why\nTwo constants.\n\n- [ ] Tested');
    const text = await writePullRequestText(engine, { repositoryPath: '/x', draft: false, language: 'Français', profile: 'code', provider: 'ollama', model: 'qwen3' }, await prepared(), new AbortController().signal);
    expect(text).toEqual({ title: 'Add a and b', body: '## Why\nTwo constants.\n\n- [ ] Tested' });
    expect(asked[0]).toMatchObject({ profile: 'code', provider: 'ollama', model: 'qwen3' });
    const [request] = requests;
    expect(request?.tools).toEqual([]);
    expect(request?.model).toBe('test-model');
    const [system, user] = request?.messages ?? [];
    expect(system?.content).toContain('Write the title and the description in Français.');
    expect(user?.content).toContain('Commits (2, newest first):\n- Add b\n- Add a');
    expect(user?.content).toContain('+export const a = 1;');
    expect(user?.content).toContain('+export const b = 2;');
    expect(user?.content).toContain('Template (.github/PULL_REQUEST_TEMPLATE.md):\n## Why\n\n- [ ] Tested');
  });

  it('falls back to the commits when the answer has no title', async () => {
    const { engine } = engineAnswering('```\n```');
    const text = await writePullRequestText(engine, { repositoryPath: '/x', draft: false }, await prepared(), new AbortController().signal);
    expect(text).toEqual({ title: 'Add a', body: '- Add a\n- Add b' });
  });
});
