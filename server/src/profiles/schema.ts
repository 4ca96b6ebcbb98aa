/**
 * zod schemas of the profile files, in MOCO's format (`profile.yaml`, agent front-matter, skill
 * front-matter), each with its table of {@link FieldHint}s: what a key must be and a line to write.
 * The schemas are strict so that unknown keys are found; `validate.ts` reports those as warnings.
 *
 * Defaults of `orchestrator:` come from DESIGN.md (retry: 3 attempts, 200 ms base, as kOS) and
 * issue 3 (`max_parallel_tasks` 5); the other limits are this project's choices.
 */
import { z } from 'zod';
import type { FieldHints } from './validate';

const positiveInt = z.number().int().min(1);

/** The `orchestrator:` section of `profile.yaml` (our addition to MOCO's format). */
export const orchestratorSchema = z
  .strictObject({
    max_parallel_tasks: positiveInt.default(5),
    retry: z
      .strictObject({
        attempts: positiveInt.default(3),
        base_delay_ms: z.number().int().min(0).default(200),
      })
      .prefault({}),
    max_tool_calls_per_turn: positiveInt.default(20),
    max_turns: positiveInt.default(50),
    budget: z
      .strictObject({
        max_tokens: positiveInt.optional(),
        max_cost_usd: z.number().positive().optional(),
      })
      .prefault({}),
    max_input_chars: positiveInt.default(400_000),
    max_output_tokens: positiveInt.optional(),
  })
  .prefault({});

const mcpServerSchema = z
  .strictObject({
    name: z.string().min(1),
    command: z.string().min(1).optional(),
    args: z.array(z.union([z.string(), z.number()]).transform(String)).optional(),
    env: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String)).optional(),
    url: z.url({ protocol: /^https?$/ }).optional(),
  })
  .superRefine((server, ctx) => {
    // A name alone gives the agents a server configured in .vscode/mcp.json or .mcp.json.
    if (server.command === undefined && server.url === undefined) return;
    if (server.command !== undefined && server.url !== undefined) {
      ctx.addIssue({
        code: 'custom',
        message:
          `MCP server "${server.name}" has both command and url; ` +
          'give it command (a local server started over stdio) or url (a remote server), not both. Write for example:\n' +
          '    - name: files\n      command: npx\n      args: ["-y", "@modelcontextprotocol/server-filesystem", "."]\n' +
          'or:\n    - name: remote\n      url: https://example.com/mcp',
      });
    }
  });

/** `profile.yaml`. `name` is optional: the folder name is the profile's name. */
export const profileFileSchema = z.strictObject({
  name: z.string().optional(),
  description: z.string().default(''),
  include_base_tools: z.boolean().default(true),
  mcp_servers: z
    .array(mcpServerSchema)
    .superRefine((servers, ctx) => {
      servers.forEach((server, index) => {
        if (servers.findIndex((other) => other.name === server.name) < index) {
          ctx.addIssue({
            code: 'custom',
            path: [index, 'name'],
            message: `two MCP servers are named "${server.name}"; give each server its own name.`,
          });
        }
      });
    })
    .default([]),
  orchestrator: orchestratorSchema,
  policy: z
    .strictObject({
      rules: z.record(z.string().min(1), z.enum(['allow', 'ask', 'deny'])).default({}),
    })
    .prefault({}),
});

/** Hints for {@link profileFileSchema}. */
export const profileFileHints: FieldHints = {
  '': { expect: 'profile.yaml must be a map of keys', example: 'name: my-team\ndescription: What this team does' },
  name: { expect: 'name must be a text', example: 'name: my-team' },
  description: { expect: 'description must be a text', example: 'description: A coding team' },
  include_base_tools: { expect: 'include_base_tools must be true or false', example: 'include_base_tools: true' },
  mcp_servers: {
    expect: 'mcp_servers must be a list of servers',
    example: 'mcp_servers:\n  - name: files\n    command: npx\n    args: ["-y", "@modelcontextprotocol/server-filesystem", "."]',
  },
  'mcp_servers[]': {
    expect: 'each entry of mcp_servers must be a map with name and command (or url)',
    example: '- name: files\n  command: npx',
  },
  'mcp_servers[].name': { expect: 'name must be a non-empty text', example: 'name: files' },
  'mcp_servers[].command': { expect: 'command must be a program to run', example: 'command: npx' },
  'mcp_servers[].args': { expect: 'args must be a list of texts', example: 'args: ["-y", "@modelcontextprotocol/server-filesystem", "."]' },
  'mcp_servers[].args[]': { expect: 'each of args must be a text', example: '- "--port=8080"' },
  'mcp_servers[].env': { expect: 'env must be a map of variable: value', example: 'env:\n  LOG_LEVEL: debug' },
  'mcp_servers[].env.*': { expect: 'each env value must be a text', example: 'LOG_LEVEL: debug' },
  'mcp_servers[].url': { expect: 'url must be an http or https URL', example: 'url: https://example.com/mcp' },
  policy: { expect: 'policy must be a map with rules', example: 'policy:\n  rules:\n    "git log*": allow\n    "git push --force*": deny' },
  'policy.rules': { expect: 'rules must be a map of command prefix: allow | ask | deny', example: 'rules:\n  "npm test": allow' },
  'policy.rules.*': { expect: 'each rule must be allow, ask or deny', example: '"git push --force*": deny' },
  orchestrator: { expect: 'orchestrator must be a map of settings', example: 'orchestrator:\n  max_parallel_tasks: 5' },
  'orchestrator.max_parallel_tasks': { expect: 'max_parallel_tasks must be a whole number, 1 or more', example: 'max_parallel_tasks: 5' },
  'orchestrator.retry': { expect: 'retry must be a map', example: 'retry:\n  attempts: 3\n  base_delay_ms: 200' },
  'orchestrator.retry.attempts': { expect: 'attempts must be a whole number, 1 or more', example: 'attempts: 3' },
  'orchestrator.retry.base_delay_ms': { expect: 'base_delay_ms must be a whole number of milliseconds, 0 or more', example: 'base_delay_ms: 200' },
  'orchestrator.max_tool_calls_per_turn': { expect: 'max_tool_calls_per_turn must be a whole number, 1 or more', example: 'max_tool_calls_per_turn: 20' },
  'orchestrator.max_turns': { expect: 'max_turns must be a whole number, 1 or more', example: 'max_turns: 50' },
  'orchestrator.budget': { expect: 'budget must be a map', example: 'budget:\n  max_tokens: 2000000\n  max_cost_usd: 5' },
  'orchestrator.budget.max_tokens': { expect: 'max_tokens must be a whole number of tokens, 1 or more', example: 'max_tokens: 2000000' },
  'orchestrator.budget.max_cost_usd': { expect: 'max_cost_usd must be a number of US dollars above 0', example: 'max_cost_usd: 5' },
  'orchestrator.max_input_chars': { expect: 'max_input_chars must be a whole number of characters, 1 or more', example: 'max_input_chars: 400000' },
  'orchestrator.max_output_tokens': { expect: 'max_output_tokens must be a whole number of tokens, 1 or more', example: 'max_output_tokens: 8192' },
};

/** The agent modes, in the order messages list them. */
export const AGENT_MODES = ['primary', 'chat', 'subagent'] as const;

/** `tools:` of an agent: a list of names (may hold `"*"`), or a map of name → true/false. */
export const toolsSpecSchema = z.union([z.array(z.string().min(1)), z.record(z.string(), z.boolean())]);

/** The front-matter of `agents/<name>.md`. */
export const agentFrontMatterSchema = z.strictObject({
  description: z.string().optional(),
  mode: z.enum(AGENT_MODES).optional(),
  tools: toolsSpecSchema.optional(),
  model: z
    .string()
    .regex(/^[^/\s]+\/\S+$/)
    .optional(),
  temperature: z.number().min(0).max(2).optional(),
  max_turns: positiveInt.optional(),
});

/** Hints for {@link agentFrontMatterSchema}. */
export const agentFrontMatterHints: FieldHints = {
  '': {
    expect: 'the front-matter must be a map of keys',
    example: '---\ndescription: Reviews code for bugs\nmode: subagent\ntools:\n  - read_file\n---',
  },
  description: { expect: 'description must be a text', example: 'description: Reviews code for bugs' },
  mode: { expect: `mode must be one of ${AGENT_MODES.join(', ')}`, example: 'mode: subagent' },
  tools: {
    expect: 'tools must be a list of tool names or a map of tool name: true/false',
    example: 'tools:\n  - read_file\n  - grep',
  },
  'tools[]': { expect: 'each entry of tools must be a tool name', example: '- read_file' },
  'tools.*': { expect: 'each value of the tools map must be true or false', example: 'read_file: true' },
  model: {
    expect: 'model must be provider/model',
    example: 'model: openrouter/anthropic/claude-sonnet-4',
  },
  temperature: { expect: 'temperature must be a number from 0 to 2', example: 'temperature: 0.2' },
  max_turns: { expect: 'max_turns must be a whole number, 1 or more', example: 'max_turns: 30' },
};

const stringList = z.union([z.string().transform((s) => [s]), z.array(z.string())]);

/** The front-matter of a skill (Claude's and MOCO's SKILL.md); other keys are allowed and ignored. */
export const skillFrontMatterSchema = z.looseObject({
  name: z.string().min(1).optional(),
  description: z.string().optional(),
  triggers: stringList.optional(),
  'allowed-tools': stringList.optional(),
  allowed_tools: stringList.optional(),
});

/** Hints for {@link skillFrontMatterSchema}. */
export const skillFrontMatterHints: FieldHints = {
  '': { expect: 'the front-matter must be a map of keys', example: '---\nname: python-style\ndescription: Python coding rules\n---' },
  name: { expect: 'name must be a non-empty text', example: 'name: python-style' },
  description: { expect: 'description must be a text', example: 'description: Python coding rules' },
  triggers: { expect: 'triggers must be a list of keywords', example: 'triggers:\n  - python\n  - .py' },
  'triggers[]': { expect: 'each trigger must be a text', example: '- python' },
  'allowed-tools': { expect: 'allowed-tools must be a list of tool names', example: 'allowed-tools:\n  - read_file' },
  'allowed-tools[]': { expect: 'each allowed tool must be a tool name', example: '- read_file' },
  allowed_tools: { expect: 'allowed_tools must be a list of tool names', example: 'allowed_tools:\n  - read_file' },
  'allowed_tools[]': { expect: 'each allowed tool must be a tool name', example: '- read_file' },
};
