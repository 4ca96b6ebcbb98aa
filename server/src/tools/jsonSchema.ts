/**
 * Argument schemas as the model sees them: zod 4's `z.toJSONSchema` (draft 2020-12, input side,
 * so optional and defaulted fields are not required), trimmed to what OpenAI-compatible providers
 * accept: no `$schema`, and no `minimum`/`maximum` that only restate JavaScript's safe-integer range.
 */
import { z } from 'zod';

/** Thrown when a tool's parameters are not a zod object schema (a programming error). */
export class ToolSchemaError extends Error {
  constructor(toolName: string, detail: string) {
    super(`The parameters of tool ${toolName} must be a z.object(...) schema: ${detail}.`);
    this.name = 'ToolSchemaError';
  }
}

/**
 * JSON Schema of a tool's arguments, for `ToolSpec.function.parameters`:
 * `{type: 'object', properties: {...}, required?: [...]}`.
 *
 * @throws {ToolSchemaError} when the schema is not an object schema or cannot be converted.
 */
export function argumentsJsonSchema(toolName: string, parameters: z.ZodType): Record<string, unknown> {
  let schema: Record<string, unknown>;
  try {
    schema = z.toJSONSchema(parameters, { io: 'input' });
  } catch (error) {
    throw new ToolSchemaError(toolName, (error as Error).message);
  }
  delete schema.$schema;
  if (schema.type !== 'object') throw new ToolSchemaError(toolName, `its JSON Schema has type ${JSON.stringify(schema.type)}`);
  schema.properties ??= {};
  return stripSafeIntegerBounds(schema) as Record<string, unknown>;
}

function stripSafeIntegerBounds(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(stripSafeIntegerBounds);
  if (node === null || typeof node !== 'object') return node;
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'maximum' && value === Number.MAX_SAFE_INTEGER) continue;
    if (key === 'minimum' && value === Number.MIN_SAFE_INTEGER) continue;
    result[key] = stripSafeIntegerBounds(value);
  }
  return result;
}

/**
 * One line per top-level parameter, for messages to the model:
 * `path (string, required), offset (integer, minimum 1), replace_all (boolean)`.
 */
export function describeParameters(schema: Record<string, unknown>): string {
  const properties = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
  const required = new Set((schema.required ?? []) as string[]);
  const names = Object.keys(properties);
  if (names.length === 0) return 'no parameters (send {})';
  return names
    .map((name) => {
      const property = properties[name] ?? {};
      const details = [typeName(property)];
      if (required.has(name)) details.push('required');
      if (typeof property.minimum === 'number') details.push(`minimum ${property.minimum}`);
      if (typeof property.maximum === 'number') details.push(`maximum ${property.maximum}`);
      return `${name} (${details.join(', ')})`;
    })
    .join(', ');
}

function typeName(property: Record<string, unknown>): string {
  if (Array.isArray(property.enum)) return `one of ${property.enum.map((value) => JSON.stringify(value)).join(' | ')}`;
  if (property.type === 'array') {
    const items = property.items as Record<string, unknown> | undefined;
    return items?.type === 'object' ? 'array of objects' : `array of ${typeof items?.type === 'string' ? items.type : 'values'}`;
  }
  return typeof property.type === 'string' ? property.type : 'value';
}
