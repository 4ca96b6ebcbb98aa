/**
 * The tool registry: the tools an agent may be given, their wire specs for the model, and the
 * parsing of the arguments the model sends. Base tools are registered by baseTools.ts; the tools of
 * later issues register the same way. MCP tools come with a JSON Schema instead of a zod one:
 * they register as {@link JsonSchemaTool}s, and a run's registry adds them with {@link ToolRegistry.withTools}.
 */
import type { z } from 'zod';
import type { ToolSpec } from '../providers/types';
import { argumentsJsonSchema, describeParameters } from './jsonSchema';
import type { Tool } from './types';

/**
 * A tool whose arguments are described by a JSON Schema from elsewhere (an MCP server's
 * `inputSchema`). The model is given `inputSchema` as it is (less `$schema`); `definition.parameters`
 * only checks the arguments (a zod schema built from the JSON Schema, or a loose object), and the
 * implementation receives the arguments as the model sent them, for the tool's owner to validate.
 */
export interface JsonSchemaTool extends Tool {
  /** JSON Schema of the arguments object: `{type: 'object', properties?, required?...}`. */
  inputSchema: Record<string, unknown>;
}

/** Whether `tool` is a {@link JsonSchemaTool}. */
export function isJsonSchemaTool(tool: Tool): tool is JsonSchemaTool {
  const schema = (tool as Partial<JsonSchemaTool>).inputSchema;
  return schema !== null && typeof schema === 'object';
}

/** The outcome of {@link ToolRegistry.parseArguments}. */
export type ParsedArguments = { ok: true; args: unknown } | { ok: false; message: string };

interface Entry {
  tool: Tool;
  /** JSON Schema of the arguments, computed once at registration. */
  schema: Record<string, unknown>;
  /** True for a {@link JsonSchemaTool}: parsed arguments are passed on as sent. */
  passThrough: boolean;
}

/** Tools by name. Not mutated once the server is wired, so concurrent runs can share it. */
export class ToolRegistry {
  private readonly entries = new Map<string, Entry>();

  /**
   * Adds a tool.
   *
   * @throws {Error} when a tool of that name is registered already.
   * @throws {ToolSchemaError} when its parameters are not a zod object schema.
   * @throws {Error} when the `inputSchema` of a {@link JsonSchemaTool} is not an object schema.
   */
  register<A extends z.ZodType>(tool: Tool<A> | JsonSchemaTool): void {
    const { name } = tool.definition;
    if (this.entries.has(name)) throw new Error(`A tool named ${name} is registered already; tool names must be unique.`);
    if (isJsonSchemaTool(tool)) {
      this.entries.set(name, { tool, schema: objectJsonSchema(name, tool.inputSchema), passThrough: true });
      return;
    }
    const schema = argumentsJsonSchema(name, tool.definition.parameters);
    this.entries.set(name, { tool, schema, passThrough: false });
  }

  /**
   * A new registry with this one's tools followed by `tools` (MCP tools for a run, for example).
   * This registry is not changed, and the schemas already computed are shared, not recomputed.
   *
   * @throws {Error} when a name of `tools` is taken (here or twice in `tools`).
   * @throws {ToolSchemaError | Error} as {@link register}.
   */
  withTools(tools: ReadonlyArray<Tool | JsonSchemaTool>): ToolRegistry {
    const copy = new ToolRegistry();
    for (const [name, entry] of this.entries) copy.entries.set(name, entry);
    for (const tool of tools) copy.register(tool);
    return copy;
  }

  /** The tool named `name` (exact, case-sensitive), or undefined. */
  get(name: string): Tool | undefined {
    return this.entries.get(name)?.tool;
  }

  /** Names of all tools, in registration order. */
  names(): string[] {
    return [...this.entries.keys()];
  }

  /**
   * The OpenAI wire `tools` entries for `names`, in that order.
   *
   * @throws {Error} naming the unknown tools and the registered ones, when a name is not registered
   *   (profile loading reports unknown tools before a run starts, so this is a programming error).
   */
  specs(names: readonly string[]): ToolSpec[] {
    const unknown = names.filter((name) => !this.entries.has(name));
    if (unknown.length > 0) throw new Error(`Unknown tools: ${unknown.join(', ')}. Registered tools: ${this.names().join(', ')}.`);
    return names.map((name) => {
      const { tool, schema } = this.entries.get(name) as Entry;
      return {
        type: 'function',
        function: { name, description: tool.definition.description, parameters: structuredClone(schema) },
      };
    });
  }

  /**
   * Parses and validates the argument text of a tool call. Empty text counts as `{}`. On failure
   * the message says what is wrong (the JSON error, or each field and what was expected), lists the
   * tool's parameters, and asks the model to call again; it is meant for the model.
   *
   * @returns the arguments as the schema outputs them (defaults applied, unknown keys removed).
   */
  parseArguments(name: string, raw: string): ParsedArguments {
    const entry = this.entries.get(name);
    if (!entry) return { ok: false, message: `There is no tool named ${name}. Available tools: ${this.names().join(', ')}.` };
    const expected = `${name} takes: ${describeParameters(entry.schema)}.`;
    let value: unknown;
    try {
      value = raw.trim() === '' ? {} : JSON.parse(raw);
    } catch (error) {
      return {
        ok: false,
        message: `The arguments of ${name} are not valid JSON (${(error as Error).message}). Send one JSON object. ${expected}`,
      };
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      return { ok: false, message: `The arguments of ${name} must be a JSON object, not ${describeJsonValue(value)}. ${expected}` };
    }
    const parsed = entry.tool.definition.parameters.safeParse(value);
    if (parsed.success) return { ok: true, args: entry.passThrough ? value : parsed.data };
    const problems = parsed.error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(arguments)'}: ${issue.message}`);
    const known = new Set(Object.keys(entry.schema.properties ?? {}));
    const extra = Object.keys(value).filter((key) => !known.has(key));
    if (extra.length > 0) problems.push(`unknown ${extra.length === 1 ? 'field' : 'fields'} ${extra.join(', ')}`);
    return {
      ok: false,
      message: `The arguments of ${name} do not match its parameters: ${problems.join('; ')}. ${expected} Fix the arguments and call ${name} again.`,
    };
  }
}

function describeJsonValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

/**
 * A JSON Schema given with a tool, as the model gets it: a copy without `$schema`, with
 * `properties` (`{}` when absent).
 *
 * @throws {Error} when it is not an object schema (`type: 'object'`).
 */
function objectJsonSchema(toolName: string, inputSchema: Record<string, unknown>): Record<string, unknown> {
  if (inputSchema.type !== 'object') {
    throw new Error(`The inputSchema of tool ${toolName} must be a JSON Schema with type "object", not ${JSON.stringify(inputSchema.type)}.`);
  }
  const schema = structuredClone(inputSchema);
  delete schema.$schema;
  schema.properties ??= {};
  return schema;
}
