/** The pull request prompt, and the parsing of the model's answer into a title and a body. */
import { describe, expect, it } from 'vitest';
import { branchSlug, parsePullRequestText, pullRequestPrompt } from '../../server/src/github/prText';

describe('parsePullRequestText', () => {
  it('reads the first line as the title and the rest as the body', () => {
    expect(parsePullRequestText('Add login rate limiting\n\n## Summary\nLimits attempts.\n')).toEqual({ title: 'Add login rate limiting', body: '## Summary\nLimits attempts.' });
  });

  it('tolerates fences, labels, headings, bold and quotes', () => {
    expect(parsePullRequestText('```markdown\nTitle: Fix the parser\n\nBody:\nIt was wrong.\n```')).toEqual({ title: 'Fix the parser', body: 'It was wrong.' });
    expect(parsePullRequestText('# Fix the parser\n\nDescription: It was wrong.')).toEqual({ title: 'Fix the parser', body: 'It was wrong.' });
    expect(parsePullRequestText('**Title:** "Fix the parser"\n\n- one')).toEqual({ title: 'Fix the parser', body: '- one' });
    expect(parsePullRequestText('\n\n  Only a title  \n')).toEqual({ title: 'Only a title', body: '' });
    expect(parsePullRequestText('Here is the pull request:\n\n```md\nFix the parser\n\nIt was wrong.\n```')).toEqual({ title: 'Fix the parser', body: 'It was wrong.' });
  });

  it('gives undefined for an answer without a title', () => {
    expect(parsePullRequestText('')).toBeUndefined();
    expect(parsePullRequestText('```\n\n```')).toBeUndefined();
    expect(parsePullRequestText('```\n```')).toBeUndefined();
    expect(parsePullRequestText('---\n\nBody only')).toBeUndefined();
  });

  it("cuts a title to GitHub's 256 characters", () => {
    expect(parsePullRequestText('x'.repeat(300))?.title).toHaveLength(256);
  });
});

describe('branchSlug', () => {
  it('makes a short lowercase name from a commit subject', () => {
    expect(branchSlug('feat(auth): Add rate limiting to /login!')).toBe('feat-auth-add-rate-limiting-to-login');
    expect(branchSlug('Ünïcode café')).toBe('unicode-cafe');
    expect(branchSlug('修正')).toBe('changes');
    const long = branchSlug('a very long subject line that goes on and on and on past the limit of names');
    expect(long.length).toBeLessThanOrEqual(48);
    expect(long.endsWith('-')).toBe(false);
  });
});

describe('pullRequestPrompt', () => {
  it('gives the commits, the diff, the template with its rules, and the language', () => {
    const [system, user] = pullRequestPrompt({
      branch: 'feature/x',
      base: 'main',
      commits: [{ subject: 'Add x', body: 'Because y.' }],
      diff: 'diff --git a/x b/x',
      diffNotes: ['The diff was cut.'],
      template: { path: '.github/pull_request_template.md', text: '## Summary\n- [ ] Tests added' },
      language: 'Deutsch',
    });
    expect(system?.content).toContain('keep its headings and their order');
    expect(system?.content).toContain('ticking a box ("- [x]") only when');
    expect(system?.content).toContain('Write the title and the description in Deutsch.');
    expect(user?.content).toContain('Pull request: feature/x into main.');
    expect(user?.content).toContain('- Add x\n  Because y.');
    expect(user?.content).toContain('diff --git a/x b/x');
    expect(user?.content).toContain('About the diff: The diff was cut.');
    expect(user?.content).toContain('Template (.github/pull_request_template.md):\n## Summary\n- [ ] Tests added');
  });
});
