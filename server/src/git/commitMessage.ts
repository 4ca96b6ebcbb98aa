/**
 * AI commit messages: the prompt (commitPrompt.ts), one streamed model call on the model a send
 * would use, the answer cleaned, and the result checked against the repository's commitlint rules.
 */
import type { CommitMessageParams, CommitMessagePartial, CommitMessageResult } from '../../../protocol/git';
import type { MocoEngine } from '../engine/engine';
import { lookupModel } from '../providers/models';
import type { ModelCallObserver } from '../providers/types';
import { lintMessage } from './commitlintRules';
import { buildCommitPrompt, COMMIT_MAX_OUTPUT_TOKENS } from './commitPrompt';
import { estimateTokens } from './diffRender';
import { cleanMessage } from './messageText';
import { openRepository } from './repository';

/** Sampling temperature: low, a message should say what the diff says. */
const COMMIT_TEMPERATURE = 0.2;

/**
 * Writes a commit message for the repository `params.repositoryPath`: its staged changes, or all
 * changes (tracked modifications and untracked files) when nothing is staged, following its
 * conventions. The text streams to `onPartial` as the model writes it (thinking left out; after a
 * provider retry that voids it, one `{delta: '', reset: true}`); the result's `message` is the
 * cleaned whole, which may differ from the concatenated partials (a code fence, a label removed).
 *
 * @throws {MocoError} `GitStateInvalid` (not a repository, unresolved merge conflicts, naming the
 *   files), `NothingToCommit` ("No changes to describe in <repo>: stage or make a change first."),
 *   profile and provider errors from `engine.modelFor` and the call; the signal's reason on cancel.
 */
export async function writeCommitMessage(
  engine: Pick<MocoEngine, 'modelFor'>,
  params: CommitMessageParams,
  onPartial: (partial: CommitMessagePartial) => void,
  signal: AbortSignal,
): Promise<CommitMessageResult> {
  // A folder that is no repository is said as such, before any provider is resolved.
  const repository = await openRepository(params.repositoryPath, signal);
  const { binding } = await engine.modelFor({
    text: 'commit message',
    workingDir: repository.root,
    ...(params.profile ? { profile: params.profile } : {}),
    ...(params.provider ? { provider: params.provider } : {}),
    ...(params.model ? { model: params.model } : {}),
    ...(params.baseURL ? { baseURL: params.baseURL } : {}),
  });
  const { contextWindow } = lookupModel(binding.providerId, binding.model);
  const prompt = await buildCommitPrompt(repository.root, { contextWindow, ...(params.language ? { language: params.language } : {}) }, signal);

  const observer: ModelCallObserver = {
    onDelta: (delta) => {
      if (delta.kind === 'text' && delta.text !== '') onPartial({ delta: delta.text });
    },
    onRetry: (info) => {
      if (info.discardsPartialOutput) onPartial({ delta: '', reset: true });
    },
  };
  const response = await binding.provider.complete(
    { model: binding.model, messages: prompt.messages, tools: [], temperature: COMMIT_TEMPERATURE, maxOutputTokens: COMMIT_MAX_OUTPUT_TOKENS },
    observer,
    signal,
  );
  const message = cleanMessage(response.text);
  const tokens = response.usage ?? {
    inputTokens: await binding.estimateTokens(prompt.messages, []),
    outputTokens: estimateTokens(response.text),
  };
  const notes = [...prompt.diff.notes, ...(prompt.conventions.commitlint?.problems ?? []), ...(prompt.conventions.templateSkipped ? [prompt.conventions.templateSkipped] : [])];
  if (message === '') notes.push('The model gave no message. Try again, or pick another model.');
  const rules = prompt.conventions.commitlint?.rules ?? {};
  if (message !== '' && Object.keys(rules).length > 0) notes.push(...(await lintMessage(message, rules)));
  return {
    message,
    scope: prompt.scope,
    files: prompt.diff.files,
    notes,
    usage: { ...tokens, costUsd: binding.cost(tokens) },
    costUsd: binding.cost(tokens),
  };
}
