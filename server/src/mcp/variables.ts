/**
 * Variables in MCP configuration files, resolved the way their editors do:
 * - `.vscode/mcp.json` (VS Code's predefined variables, code.visualstudio.com/docs/reference/variables-reference):
 *   `${workspaceFolder}`, `${workspaceFolderBasename}`, `${userHome}`, `${env:NAME}`,
 *   `${pathSeparator}` and `${/}`. `${input:id}`, `${command:id}` and `${config:name}` need the
 *   editor (a prompt, a command, the settings): the server cannot resolve them.
 * - `.mcp.json` (Claude Code's environment expansion): `${NAME}` and `${NAME:-default}`.
 * An unset `${env:NAME}` becomes '' as in VS Code; an unset `${NAME}` without default cannot be
 * resolved, as in Claude Code.
 */
import * as path from 'node:path';

/** What variables resolve to. */
export interface VariableContext {
  /** Absolute path of the workspace folder. */
  workspaceFolder: string;
  /** The user's home folder. */
  userHome: string;
  env: Record<string, string | undefined>;
}

/** The outcome of a substitution: the text, or the first variable that cannot be resolved. */
export type Substituted = { ok: true; value: string; unsetEnv: string[] } | { ok: false; variable: string; kind: 'input' | 'command' | 'config' | 'env' | 'unknown' };

const VSCODE_VARIABLE = /\$\{([^}]*)\}/g;

/** Resolves VS Code's variables in `text`. */
export function substituteVsCode(text: string, context: VariableContext): Substituted {
  const unsetEnv: string[] = [];
  let failure: Substituted | undefined;
  const value = text.replace(VSCODE_VARIABLE, (whole, inner: string) => {
    const resolved = resolveVsCodeVariable(inner, context, unsetEnv);
    if (resolved === undefined) {
      const prefix = inner.split(':')[0] ?? '';
      const kind = prefix === 'input' || prefix === 'command' || prefix === 'config' ? prefix : 'unknown';
      failure ??= { ok: false, variable: whole, kind };
      return whole;
    }
    return resolved;
  });
  return failure ?? { ok: true, value, unsetEnv };
}

function resolveVsCodeVariable(inner: string, context: VariableContext, unsetEnv: string[]): string | undefined {
  switch (inner) {
    case 'workspaceFolder':
    case 'workspaceRoot':
      return context.workspaceFolder;
    case 'workspaceFolderBasename':
      return path.basename(context.workspaceFolder);
    case 'userHome':
      return context.userHome;
    case 'pathSeparator':
    case '/':
      return path.sep;
  }
  if (inner.startsWith('env:')) {
    const name = inner.slice('env:'.length);
    const value = context.env[name];
    if (value === undefined) unsetEnv.push(name);
    return value ?? '';
  }
  return undefined;
}

const CLAUDE_VARIABLE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/** Resolves Claude Code's `${NAME}` and `${NAME:-default}` in `text`. */
export function substituteClaude(text: string, env: Record<string, string | undefined>): Substituted {
  let failure: Substituted | undefined;
  const value = text.replace(CLAUDE_VARIABLE, (whole, name: string, fallback: string | undefined) => {
    const resolved = env[name] ?? fallback;
    if (resolved === undefined) {
      failure ??= { ok: false, variable: whole, kind: 'env' };
      return whole;
    }
    return resolved;
  });
  return failure ?? { ok: true, value, unsetEnv: [] };
}

/**
 * Applies `substitute` to every string of a JSON-like value (objects, arrays), keys left as they
 * are. Stops at the first variable that cannot be resolved.
 */
export function substituteDeep<T>(value: T, substitute: (text: string) => Substituted): { ok: true; value: T; unsetEnv: string[] } | Extract<Substituted, { ok: false }> {
  const unsetEnv: string[] = [];
  let failure: Extract<Substituted, { ok: false }> | undefined;
  const walk = (node: unknown): unknown => {
    if (failure) return node;
    if (typeof node === 'string') {
      const result = substitute(node);
      if (!result.ok) {
        failure = result;
        return node;
      }
      unsetEnv.push(...result.unsetEnv);
      return result.value;
    }
    if (Array.isArray(node)) return node.map(walk);
    if (node !== null && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([key, inner]) => [key, walk(inner)]));
    }
    return node;
  };
  const resolved = walk(value) as T;
  return failure ?? { ok: true, value: resolved, unsetEnv: [...new Set(unsetEnv)] };
}
