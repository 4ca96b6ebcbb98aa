/** The server's GitHub token in the editor: the editor's session, else GITHUB_TOKEN. */
import { ErrorCodes, ResponseError } from 'vscode-languageserver/node';
import { describe, expect, it } from 'vitest';
import { GitHubSessionRequest, type GitHubSessionParams, type GitHubSessionResult } from '../../protocol/git';
import { editorGitHubToken } from '../../server/src/handlers/pullRequests';

/** A connection whose `github/session` answers with `answer`, recording what it was asked. */
function editor(answer: (params: GitHubSessionParams) => GitHubSessionResult | Promise<GitHubSessionResult>): { connection: { sendRequest: unknown }; asked: GitHubSessionParams[] } {
  const asked: GitHubSessionParams[] = [];
  const sendRequest = async (type: unknown, params: GitHubSessionParams): Promise<GitHubSessionResult> => {
    expect(type).toBe(GitHubSessionRequest);
    asked.push(params);
    return answer(params);
  };
  return { connection: { sendRequest }, asked };
}

type Connection = Parameters<typeof editorGitHubToken>[0];

describe('editorGitHubToken', () => {
  it("gives the editor's session token, asking for the repo scope and sign-in only when interactive", async () => {
    const { connection, asked } = editor(() => ({ accessToken: 'gho_session', account: 'octocat' }));
    const token = editorGitHubToken(connection as Connection, () => undefined, { GITHUB_TOKEN: 'ghp_env' });
    expect(await token(true)).toBe('gho_session');
    expect(await token(false)).toBe('gho_session');
    expect(asked).toEqual([
      { scopes: ['repo'], createIfNone: true },
      { scopes: ['repo'], createIfNone: false },
    ]);
  });

  it('falls back to GITHUB_TOKEN on an empty answer and on MethodNotFound, quietly', async () => {
    const logs: string[] = [];
    const empty = editorGitHubToken(editor(() => ({})).connection as Connection, (line) => logs.push(line), { GITHUB_TOKEN: 'ghp_env' });
    expect(await empty(true)).toBe('ghp_env');
    const missing = editorGitHubToken(editor(() => Promise.reject(new ResponseError(ErrorCodes.MethodNotFound, 'Unhandled method github/session'))).connection as Connection, (line) => logs.push(line), {});
    expect(await missing(true)).toBeUndefined();
    expect(logs).toEqual([]);
  });

  it('logs another failure (without any token) and falls back', async () => {
    const logs: string[] = [];
    const failing = editorGitHubToken(editor(() => Promise.reject(new Error('connection closed'))).connection as Connection, (line) => logs.push(line), { GITHUB_TOKEN: 'ghp_env' });
    expect(await failing(false)).toBe('ghp_env');
    expect(logs).toEqual(['github/session failed (connection closed); using GITHUB_TOKEN if it is set.']);
  });
});
