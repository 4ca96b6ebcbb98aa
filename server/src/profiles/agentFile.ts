/**
 * Loads one agent: `agents/<name>.md`, YAML front-matter (`description`, `mode`, `tools`, and our
 * `model`, `temperature`, `max_turns`) and a Markdown body that is the agent's system prompt.
 */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { splitFrontMatter } from './frontMatter';
import { agentFrontMatterHints, agentFrontMatterSchema } from './schema';
import { DELEGATE_TOOL, resolveTools } from './tools';
import type { AgentConfig, AgentMode } from './types';
import { unknownKeyWarning, validateYaml } from './validate';
import { lineOfKey } from './yamlLocation';

/** The agent MOCO routes user messages to, and that always may delegate (MOCO's `core/orchestrator.py`). */
export const ORCHESTRATOR_AGENT = 'orchestrator';

const AGENT_KEYS = Object.keys(agentFrontMatterSchema.shape);

/** What an agent's tools resolve against. */
export interface AgentLoadContext {
  knownTools: readonly string[];
  includeBaseTools: boolean;
}

/**
 * Reads and checks `file` (an absolute path ending in `.md`).
 *
 * Lenient where MOCO is: no front-matter (or one without its opening `---`) loads with a warning.
 * `mode` defaults to `primary` for `orchestrator` and to `subagent` otherwise (MOCO's own files leave
 * it out on orchestrators and on specialists alike). An absent `tools` means every base tool; the
 * `orchestrator` agent gets `delegate_to_agent` unless its map sets it to false, as in MOCO.
 *
 * @returns the agent and the warnings about it (each names the file, and the line when known).
 * @throws {ProfileError} on a YAML syntax error or a front-matter value of the wrong kind.
 * @throws the `readFile` error when the file cannot be read.
 */
export async function loadAgentFile(
  file: string,
  context: AgentLoadContext,
): Promise<{ agent: AgentConfig; warnings: string[] }> {
  const name = path.basename(file, path.extname(file));
  const split = splitFrontMatter(await readFile(file, 'utf8'), file, AGENT_KEYS);
  const warnings: string[] = [];
  if (split.missingOpeningDelimiter) {
    const last = split.missingOpeningDelimiter.closingLine - 1;
    warnings.push(
      `${file}:1: the front-matter has no opening "---"; lines 1-${last} were read as front-matter. ` +
        'Add a line "---" at the top of the file.',
    );
  }
  const { value: front, unknownKeys } = split.yaml
    ? validateYaml(agentFrontMatterSchema, split.yaml, agentFrontMatterHints, split.yaml.data ?? {})
    : { value: agentFrontMatterSchema.parse({}), unknownKeys: [] };
  warnings.push(...unknownKeys.map((key) => unknownKeyWarning(file, key)));

  const isOrchestrator = name.toLowerCase() === ORCHESTRATOR_AGENT;
  const resolved = resolveTools(front.tools, context.knownTools, context.includeBaseTools);
  const deniesDelegate = front.tools !== undefined && !Array.isArray(front.tools) && front.tools[DELEGATE_TOOL] === false;
  if (isOrchestrator && !deniesDelegate && context.knownTools.includes(DELEGATE_TOOL) && !resolved.tools.includes(DELEGATE_TOOL)) {
    resolved.tools.push(DELEGATE_TOOL);
  }

  const where = `agent ${name} (${file}:${split.yaml && front.tools ? lineOfKey(split.yaml, [], 'tools') : 1})`;
  if (resolved.unavailable.length > 0) {
    warnings.push(
      `${where}: tools not available in MOCO for VS Code yet: ${resolved.unavailable.join(', ')}; ` +
        'the agent runs without them.',
    );
  }
  if (resolved.leftOut.length > 0) {
    warnings.push(
      `${where}: profile.yaml sets include_base_tools: false, so these tools are left out: ` +
        `${resolved.leftOut.join(', ')}. Set include_base_tools: true to grant them.`,
    );
  }
  const systemPrompt = split.body.trim();
  warnings.push(...contentWarnings(name, file, front.description, systemPrompt));

  const mode: AgentMode = front.mode ?? (isOrchestrator ? 'primary' : 'subagent');
  const agent: AgentConfig = {
    name,
    description: (front.description ?? '').trim(),
    mode,
    systemPrompt,
    tools: resolved.tools,
    unavailableTools: resolved.unavailable,
    mcpTools: resolved.mcp,
    file,
  };
  if (front.model !== undefined) agent.model = front.model;
  if (front.temperature !== undefined) agent.temperature = front.temperature;
  if (front.max_turns !== undefined) agent.maxTurns = front.max_turns;
  return { agent, warnings };
}

function contentWarnings(name: string, file: string, description: string | undefined, prompt: string): string[] {
  const warnings: string[] = [];
  if (!/^[\p{L}\p{N}_-]+$/u.test(name)) {
    warnings.push(
      `${file}: the agent name "${name}" has characters other than letters, digits, "-" and "_", ` +
        `so "@${name}" cannot address it. Rename the file, for example to ${name.replace(/[^\p{L}\p{N}_-]+/gu, '-')}.md.`,
    );
  }
  if (description === undefined || description.trim() === '') {
    warnings.push(
      `${file}:1: agent ${name} has no description, so the orchestrator cannot tell what it is for. ` +
        'Add one to its front-matter, for example: description: Reviews code for bugs.',
    );
  }
  if (prompt === '') {
    warnings.push(`${file}: agent ${name} has an empty system prompt. Write its instructions after the front-matter.`);
  }
  return warnings;
}
