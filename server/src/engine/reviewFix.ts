/**
 * What the fix runs of the inline review are told (`review/fix`): one task per finding, for a
 * sub-agent each, and the root's task that lists them all (what a resumed root works from).
 */
import type { ReviewFinding } from '../../../protocol/review';
import type { AgentConfig, Profile } from '../profiles';

/** Agents that fix findings, by preference; the profile's entry agent when it has none of them. */
const FIXER_NAMES = ['coder', 'refactorer'];

/**
 * The agent that fixes findings: `coder`, else `refactorer` (the bundled `development` profile's),
 * else `entry` (the profile's orchestrator, which has the file tools).
 */
export function chooseFixer(profile: Profile, entry: AgentConfig): AgentConfig {
  for (const name of FIXER_NAMES) {
    const agent = profile.agents.find((candidate) => candidate.name.toLowerCase() === name);
    if (agent) return agent;
  }
  return entry;
}

/** `src/a.ts:12` or `src/a.ts:12-14`. */
export function findingLocation(finding: Pick<ReviewFinding, 'file' | 'startLine' | 'endLine'>): string {
  return finding.endLine > finding.startLine ? `${finding.file}:${finding.startLine}-${finding.endLine}` : `${finding.file}:${finding.startLine}`;
}

/** The task of the sub-agent that fixes one finding: where, what, the code as reviewed, and the reviewer's suggestion. */
export function fixTask(finding: ReviewFinding): string {
  const lines = [
    `Fix this code review finding in ${findingLocation(finding)} (${finding.severity}, ${finding.category}):`,
    '',
    finding.message,
    '',
    `The code at those lines when it was reviewed (it may have moved since; find it by its text):`,
    '```',
    finding.anchor,
    '```',
  ];
  if (finding.suggestion !== undefined) lines.push('', 'The reviewer suggested this replacement for those lines:', '```', finding.suggestion, '```');
  lines.push('', 'Change only what the finding needs, keep the file otherwise as it is, and answer with one or two sentences saying what you changed.');
  return lines.join('\n');
}

/** The root's task: every finding in one list, so that a resumed root can do the work itself. */
export function fixAllTask(findings: ReviewFinding[]): string {
  const head = findings.length === 1 ? 'Fix 1 code review finding' : `Fix ${findings.length} code review findings`;
  const items = findings.map((finding, index) => `${index + 1}. ${findingLocation(finding)} (${finding.severity}, ${finding.category}): ${finding.message}`);
  return [`${head}, one sub-agent each:`, '', ...items].join('\n');
}
