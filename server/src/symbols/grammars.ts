/**
 * What the tree-sitter symbol search knows of each bundled programming grammar (treeSitter/index.ts
 * BUNDLED_GRAMMARS, less `bash`): which files it parses, which nodes declare a name, and which
 * leaves are names. Node type names are those of the grammars' `node-types.json` in
 * `@vscode/tree-sitter-wasm` (tree-sitter-typescript, -javascript, -python, -go, -rust, -java).
 */
import type { GrammarName, Node } from '../treeSitter/index';

/** A grammar of the symbol search (every bundled one except `bash`). */
export type SymbolGrammar = Exclude<GrammarName, 'bash'>;

/** How one kind of declaration names what it declares. */
interface Declaration {
  /** The field holding the name (or names: Go's `const a, b = ...`). Default `name`. */
  field?: string;
  /** Whether this occurrence counts (Python: only assignments at module or class level). */
  accept?: (node: Node) => boolean;
}

/** One grammar's declarations and name leaves. */
export interface GrammarSymbols {
  /** Node type → how it names what it declares. */
  declarations: Readonly<Record<string, Declaration>>;
  /** Leaf node types that are names (a reference is one whose text is the symbol). */
  names: readonly string[];
}

const typeScriptDeclarations: Record<string, Declaration> = {
  function_declaration: {},
  generator_function_declaration: {},
  function_signature: {},
  class_declaration: {},
  abstract_class_declaration: {},
  class: {},
  method_definition: {},
  method_signature: {},
  abstract_method_signature: {},
  public_field_definition: {},
  property_signature: {},
  interface_declaration: {},
  type_alias_declaration: {},
  enum_declaration: {},
  internal_module: {},
  variable_declarator: {},
};

const javaScriptDeclarations: Record<string, Declaration> = {
  function_declaration: {},
  generator_function_declaration: {},
  class_declaration: {},
  class: {},
  method_definition: {},
  field_definition: { field: 'property' },
  variable_declarator: {},
};

const typeScriptNames = ['identifier', 'type_identifier', 'property_identifier', 'shorthand_property_identifier', 'shorthand_property_identifier_pattern'];

/** Python assignments declare a name only at module level or in a class body, not in functions. */
function isModuleOrClassLevel(assignment: Node): boolean {
  const statement = assignment.parent;
  if (statement?.type !== 'expression_statement') return false;
  const container = statement.parent;
  return container?.type === 'module' || (container?.type === 'block' && container.parent?.type === 'class_definition');
}

/** Each grammar's symbols. */
export const GRAMMAR_SYMBOLS: Readonly<Record<SymbolGrammar, GrammarSymbols>> = {
  typescript: { declarations: typeScriptDeclarations, names: typeScriptNames },
  tsx: { declarations: typeScriptDeclarations, names: typeScriptNames },
  javascript: { declarations: javaScriptDeclarations, names: ['identifier', 'property_identifier', 'shorthand_property_identifier', 'shorthand_property_identifier_pattern'] },
  python: {
    declarations: { function_definition: {}, class_definition: {}, assignment: { field: 'left', accept: isModuleOrClassLevel } },
    names: ['identifier'],
  },
  go: {
    declarations: { function_declaration: {}, method_declaration: {}, type_spec: {}, type_alias: {}, const_spec: {}, var_spec: {}, field_declaration: {}, method_elem: {} },
    names: ['identifier', 'type_identifier', 'field_identifier', 'package_identifier'],
  },
  rust: {
    declarations: {
      function_item: {},
      function_signature_item: {},
      struct_item: {},
      enum_item: {},
      union_item: {},
      trait_item: {},
      type_item: {},
      const_item: {},
      static_item: {},
      mod_item: {},
      macro_definition: {},
      enum_variant: {},
      field_declaration: {},
    },
    names: ['identifier', 'type_identifier', 'field_identifier', 'shorthand_field_identifier'],
  },
  java: {
    declarations: {
      class_declaration: {},
      interface_declaration: {},
      enum_declaration: {},
      record_declaration: {},
      annotation_type_declaration: {},
      method_declaration: {},
      constructor_declaration: {},
      variable_declarator: {},
      enum_constant: {},
    },
    names: ['identifier', 'type_identifier'],
  },
};

/** File extension (lower case, with the dot) → grammar. */
const EXTENSIONS: Readonly<Record<string, SymbolGrammar>> = {
  '.ts': 'typescript',
  '.mts': 'typescript',
  '.cts': 'typescript',
  '.tsx': 'tsx',
  '.js': 'javascript',
  '.mjs': 'javascript',
  '.cjs': 'javascript',
  '.jsx': 'javascript',
  '.py': 'python',
  '.pyi': 'python',
  '.go': 'go',
  '.rs': 'rust',
  '.java': 'java',
};

/** The grammar that parses `file` (by its extension), or undefined for a language it does not know. */
export function grammarOf(file: string): SymbolGrammar | undefined {
  const dot = file.lastIndexOf('.');
  return dot === -1 ? undefined : EXTENSIONS[file.slice(dot).toLowerCase()];
}

/** The languages searched, for messages: `TypeScript, JavaScript, Python, Go, Rust and Java`. */
export const SEARCHED_LANGUAGES = 'TypeScript, JavaScript, Python, Go, Rust and Java';
