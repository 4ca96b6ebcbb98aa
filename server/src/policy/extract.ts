/**
 * Finds every simple command of a command line in its tree-sitter-bash tree: in lists, pipelines,
 * subshells, `{ }` groups, command and process substitutions, function bodies, `if`/`while`/
 * `for`/`case` bodies, aliases defined earlier in the line, and what runners run (`sudo`, `env`,
 * `bash -c`, `eval`, `xargs`, `find -exec`, a script piped or redirected into a shell). Tracks
 * `cd` so that relative paths can be resolved, and where a script stays unknown says so.
 */
import type { Node, Parser } from '../treeSitter';
import { payloadsOf, readsScriptFromStdin, SHELLS } from './runners';
import { assign, changeDirectory, cloneScope, shellScope, unique, wordEnv, type Scope } from './scope';
import { joinWords, normaliseProgram, programName, type Redirect, type SimpleCommand } from './simpleCommand';
import { evaluateWord, type Word } from './words';

/** Where the line runs. */
export interface ExtractOptions {
  workspaceRoot: string;
  homeDir: string;
  /** The working directory the line starts in (absolute). */
  cwd: string;
}

/** The simple commands of a line, and why it could not be read completely. */
export interface Extraction {
  /** In the order they run: substitutions before the command using them, a runner before its payload. */
  commands: SimpleCommand[];
  /** Empty when the whole line was understood; else sentences such as "the line does not parse". */
  problems: string[];
}

/** Scripts inside scripts (`bash -c "sh -c '...'"`) are followed this deep. */
const MAX_DEPTH = 8;
/** Statements nested deeper than this (`$($($(...)))`) are not followed: the line is asked about. */
const MAX_NESTING = 64;

interface Context {
  via: string[];
  inFunction?: string;
  upstream: string[];
  inPipeline: boolean;
  background: boolean;
  /** What follows runs only when this statement succeeds (left of `&&`): a `cd` here is certain. */
  guarded: boolean;
  redirects: Redirect[];
  /** The statement's stdin when it is a script source: a pipe or redirect, with its text when known. */
  stdin?: { text: string | undefined };
  /** Words tree-sitter put in a redirect that are the command's arguments (`rm > f -rf /`). */
  extraArgs: Node[];
  depth: number;
  expanding: ReadonlySet<string>;
}

interface Extra {
  assignments: string[];
  redirects: Redirect[];
  substituted: string[];
  openArgs: boolean;
}

/**
 * Extracts the simple commands of `script`. Synchronous; parses nested scripts with the same parser.
 * @param parser a tree-sitter parser for bash (see `createParser('bash')`).
 */
export function extractCommands(parser: Parser, script: string, options: ExtractOptions): Extraction {
  const extractor = new Extractor(parser, options.workspaceRoot);
  const scope: Scope = { cwds: [options.cwd], home: options.homeDir, aliases: new Map(), functions: new Set(), vars: new Map() };
  const context: Context = { via: [], upstream: [], inPipeline: false, background: false, guarded: false, redirects: [], extraArgs: [], depth: 0, expanding: new Set() };
  extractor.script(script, scope, context);
  return { commands: extractor.commands, problems: extractor.problems };
}

class Extractor {
  readonly commands: SimpleCommand[] = [];
  readonly problems: string[] = [];
  private nesting = 0;

  constructor(
    private readonly parser: Parser,
    private readonly workspaceRoot: string,
  ) {}

  script(text: string, scope: Scope, ctx: Context): void {
    if (ctx.depth > MAX_DEPTH) {
      this.problem(`scripts are nested more than ${MAX_DEPTH} deep`);
      return;
    }
    const tree = this.parser.parse(text);
    if (!tree) {
      this.problem('the line could not be parsed');
      return;
    }
    try {
      const where = ctx.depth === 0 ? 'the line' : `the script run by \`${ctx.via.at(-1) ?? 'a runner'}\``;
      if (tree.rootNode.hasError) this.problem(`${where} does not parse as shell (a syntax error, or an unclosed quote or bracket)`);
      this.statements(tree.rootNode, scope, ctx);
    } finally {
      tree.delete();
    }
  }

  private problem(text: string): void {
    if (!this.problems.includes(text)) this.problems.push(text);
  }

  /** A sequence of statements; a trailing `&` puts one in the background. */
  private statements(node: Node, scope: Scope, ctx: Context): void {
    const children = node.namedChildren.filter((child): child is Node => child !== null && child.type !== 'comment');
    children.forEach((child, i) => {
      const background = ctx.background || child.nextSibling?.type === '&';
      this.statement(child, scope, { ...ctx, background, guarded: i === children.length - 1 && ctx.guarded });
    });
  }

  private statement(node: Node, scope: Scope, ctx: Context): void {
    if (this.nesting >= MAX_NESTING) {
      this.problem(`it nests commands more than ${MAX_NESTING} deep`);
      return;
    }
    this.nesting += 1;
    try {
      this.dispatch(node, scope, ctx);
    } finally {
      this.nesting -= 1;
    }
  }

  private dispatch(node: Node, scope: Scope, ctx: Context): void {
    switch (node.type) {
      case 'command':
        return this.command(node, scope, ctx);
      case 'list':
        return this.list(node, scope, ctx);
      case 'pipeline':
        return this.pipeline(node, scope, ctx);
      case 'subshell':
        return this.statements(node, cloneScope(scope), { ...ctx, extraArgs: [] });
      case 'compound_statement':
      case 'program':
        return this.statements(node, scope, ctx);
      case 'redirected_statement':
        return this.redirected(node, scope, ctx);
      case 'function_definition':
        return this.functionDefinition(node, scope, ctx);
      case 'variable_assignment':
      case 'variable_assignments':
        return this.assignmentOnly(node, scope, ctx);
      case 'declaration_command':
      case 'unset_command':
        return this.declaration(node, scope, ctx);
      case 'negated_command':
        return this.statements(node, scope, { ...ctx, guarded: false });
      case 'command_substitution':
      case 'process_substitution':
        return this.statements(node, cloneScope(scope), plainContext(ctx));
      case 'ERROR':
        // Its tree's root has an error, already reported by script(); read what can be read.
        return this.statements(node, scope, ctx);
      default:
        return node.type.endsWith('_statement') ? this.compound(node, scope, ctx) : this.statements(node, scope, { ...ctx, guarded: false });
    }
  }

  /** `if`, `while`, `until`, `for`, `case`: a `cd` inside may or may not have run afterwards. */
  private compound(node: Node, scope: Scope, ctx: Context): void {
    const before = { cwds: scope.cwds, vars: new Map(scope.vars), home: scope.home };
    const loopVariable = node.type === 'for_statement' || node.type === 'select_statement' ? node.childForFieldName('variable')?.text : undefined;
    if (loopVariable !== undefined) {
      // `for PATH in /tmp/x; do ...`: each round assigns the variable.
      this.emit([], { assignments: [`${loopVariable}=…`], redirects: ctx.redirects, substituted: [], openArgs: false }, scope, ctx);
      if (loopVariable === 'HOME') scope.home = undefined;
      else scope.vars.set(loopVariable, undefined);
    }
    this.statements(node, scope, { ...ctx, guarded: false, extraArgs: [] });
    scope.cwds = unique([...before.cwds, ...scope.cwds]);
    for (const [name, value] of scope.vars) {
      if (!before.vars.has(name) || before.vars.get(name) !== value) scope.vars.set(name, undefined);
    }
    if (scope.home !== before.home) scope.home = undefined;
  }

  private list(node: Node, scope: Scope, ctx: Context): void {
    const [left, right] = node.namedChildren.filter((child): child is Node => child !== null && child.type !== 'comment');
    const and = node.children.some((child) => child?.type === '&&');
    if (left) this.statement(left, scope, { ...ctx, guarded: and });
    if (right) this.statement(right, scope, ctx);
  }

  private pipeline(node: Node, scope: Scope, ctx: Context): void {
    const stages = node.namedChildren.filter((child): child is Node => child !== null && child.type !== 'comment');
    const upstream = [...ctx.upstream];
    stages.forEach((stage, i) => {
      const first = this.commands.length;
      const stdin = i === 0 ? ctx.stdin : { text: echoedText(stages[i - 1], scope) };
      this.statement(stage, cloneScope(scope), { ...ctx, inPipeline: stages.length > 1, upstream: [...upstream], stdin, guarded: false });
      upstream.push(...this.commands.slice(first).map((command) => command.name));
    });
  }

  private redirected(node: Node, scope: Scope, ctx: Context): void {
    const redirects: Redirect[] = [];
    const extraArgs: Node[] = [];
    let stdin = ctx.stdin;
    for (const redirect of node.childrenForFieldName('redirect')) {
      if (!redirect) continue;
      stdin = this.redirect(redirect, scope, ctx, redirects, extraArgs) ?? stdin;
    }
    const body = node.childForFieldName('body');
    const inner: Context = { ...ctx, redirects: [...ctx.redirects, ...redirects], stdin, extraArgs: body?.type === 'command' ? extraArgs : [] };
    if (body) this.statement(body, scope, inner);
    else this.emit([], { assignments: [], redirects: inner.redirects, substituted: [], openArgs: false }, scope, inner);
    this.afterHeredocs(node, body, scope, ctx);
  }

  /**
   * What follows a here-doc's marker on its line (`cat <<EOF | sh`, `cat <<EOF && rm -rf /`):
   * tree-sitter-bash puts it inside the `heredoc_redirect`. After `|` it reads the command's output
   * (the here-doc's text when the command is `cat`); after `&&`, `||` or `;` it is a statement.
   */
  private afterHeredocs(node: Node, body: Node | null, scope: Scope, ctx: Context): void {
    const name = body?.type === 'command' ? body.childForFieldName('name')?.text : undefined;
    for (const redirect of node.childrenForFieldName('redirect')) {
      if (redirect?.type !== 'heredoc_redirect') continue;
      const text = redirect.namedChildren.find((child) => child?.type === 'heredoc_body')?.text ?? '';
      for (const child of redirect.namedChildren) {
        if (!child || /^heredoc_(start|body|end)$/.test(child.type) || /redirect$/.test(child.type)) continue;
        const piped = child.previousSibling?.type === '|' || child.previousSibling?.type === '|&' || child.type === 'pipeline';
        const upstream = piped && name ? [...ctx.upstream, name] : ctx.upstream;
        const stdin = piped ? { text: name === 'cat' ? text : undefined } : ctx.stdin;
        this.statement(child, scope, { ...ctx, upstream, inPipeline: piped || ctx.inPipeline, stdin, guarded: false });
      }
    }
  }

  /** Reads one redirect; returns the stdin it gives when it feeds one (`<`, `<<`, `<<<`). */
  private redirect(node: Node, scope: Scope, ctx: Context, redirects: Redirect[], extraArgs: Node[], walk = true): { text: string | undefined } | undefined {
    if (walk) this.substitutions(node, scope, ctx);
    const operator = node.children.find((child) => child !== null && !child.isNamed)?.text ?? '';
    if (node.type === 'heredoc_redirect') {
      for (const nested of node.namedChildren) {
        if (nested && /redirect$/.test(nested.type)) this.redirect(nested, scope, ctx, redirects, extraArgs, false);
      }
      redirects.push({ operator, target: undefined });
      return { text: node.namedChildren.find((child) => child?.type === 'heredoc_body')?.text ?? '' };
    }
    const operands = node.type === 'herestring_redirect' ? node.namedChildren : node.childrenForFieldName('destination');
    const [destination, ...rest] = operands.filter((child): child is Node => child !== null);
    extraArgs.push(...rest);
    const duplicate = operator.endsWith('&') && /^(\d+-?|-)$/.test(destination?.text ?? '');
    const target = destination && !duplicate ? evaluateWord(destination, wordEnv(scope))[0] : undefined;
    redirects.push({ operator, target });
    if (node.type === 'herestring_redirect') return { text: target?.value };
    return operator === '<' || operator === '<>' ? { text: undefined } : undefined;
  }

  private command(node: Node, scope: Scope, ctx: Context): void {
    const first = this.commands.length;
    this.substitutions(node, scope, ctx);
    for (const extra of ctx.extraArgs) this.substitutions(extra, scope, ctx);
    const substituted = this.commands.slice(first).map((command) => command.name);
    const env = wordEnv(scope);
    const words: Word[] = [];
    const assignments: string[] = [];
    const redirects = [...ctx.redirects];
    const extraArgs: Node[] = [];
    let stdin = ctx.stdin;
    for (const child of node.namedChildren) {
      if (!child || child.type === 'comment') continue;
      if (child.type === 'variable_assignment') assignments.push(child.text);
      else if (/redirect$/.test(child.type)) stdin = this.redirect(child, scope, ctx, redirects, extraArgs, false) ?? stdin;
      else words.push(...evaluateWord(child, env));
    }
    for (const extra of [...extraArgs, ...ctx.extraArgs]) words.push(...evaluateWord(extra, env));
    this.emit(words, { assignments, redirects, substituted, openArgs: false }, scope, { ...ctx, extraArgs: [], stdin });
  }

  /** Runs the command and process substitutions inside a node (they run before the command). */
  private substitutions(node: Node, scope: Scope, ctx: Context): void {
    if (this.nesting >= MAX_NESTING) return this.problem(`it nests commands more than ${MAX_NESTING} deep`);
    for (const child of node.namedChildren) {
      if (!child) continue;
      if (child.type === 'command_substitution' || child.type === 'process_substitution') this.statement(child, scope, ctx);
      else if (child.type !== 'heredoc_body' || !/['"\\]/.test(node.text.split('\n')[0] ?? '')) this.substitutions(child, scope, ctx);
    }
  }

  /** Records one simple command, then what it runs. */
  private emit(words: Word[], extra: Extra, scope: Scope, ctx: Context): void {
    const head = words[0];
    const dynamicName = head !== undefined && (head.value === undefined || head.glob);
    const value = head?.value ?? '';
    const program = head === undefined || dynamicName ? head?.text ?? '' : normaliseProgram(value);
    const normal = head ? [{ ...head, text: program }, ...words.slice(1)] : [];
    const name = head === undefined || dynamicName ? '' : programName(value);
    const command: SimpleCommand = {
      name,
      words: normal,
      text: [...(normal.length === 0 ? extra.assignments : []), joinWords(normal)].filter(Boolean).join(' '),
      assignments: extra.assignments,
      redirects: extra.redirects,
      via: ctx.via,
      dynamicName,
      openArgs: extra.openArgs,
      upstream: ctx.upstream,
      substituted: extra.substituted,
      background: ctx.background,
      inPipeline: ctx.inPipeline,
      callsFunction: !dynamicName && scope.functions.has(value),
      cwds: scope.cwds,
      home: scope.home,
      workspaceRoot: this.workspaceRoot,
    };
    if (ctx.inFunction !== undefined) command.inFunction = ctx.inFunction;
    this.commands.push(command);
    if (name === '') return;
    this.effects(command, value, scope, ctx);
    // `HOME=/ bash -c 'rm -rf ~'`: what it runs sees another home.
    const runScope = extra.assignments.some((assignment) => assignment.startsWith('HOME=')) ? { ...scope, home: undefined } : scope;
    this.runPayloads(command, extra, runScope, ctx);
    this.stdinScript(command, runScope, ctx);
  }

  /** What the command changes for the rest of the line: aliases, the working directory. */
  private effects(command: SimpleCommand, value: string, scope: Scope, ctx: Context): void {
    const alias = scope.aliases.get(value);
    if (alias !== undefined && !ctx.expanding.has(value)) {
      const rest = joinWords(command.words.slice(1));
      this.script(`${alias} ${rest}`, scope, { ...ctx, depth: ctx.depth + 1, expanding: new Set([...ctx.expanding, value]), extraArgs: [] });
    }
    if (command.name === 'alias') {
      for (const word of command.words.slice(1)) {
        const match = /^([^=\s/$`"']+)=(.*)$/s.exec(word.value ?? '');
        if (match?.[1] !== undefined) scope.aliases.set(match[1], match[2] ?? '');
      }
    }
    if (command.name === 'cd' || command.name === 'pushd' || command.name === 'popd') changeDirectory(command, scope, ctx.guarded);
  }

  private runPayloads(command: SimpleCommand, extra: Extra, scope: Scope, ctx: Context): void {
    const payloads = payloadsOf(command.name, command.words);
    if (payloads === undefined) return;
    command.runs = payloads.every((payload) => payload.kind === 'command' || payload.script !== undefined) ? 'known' : 'unknown';
    if (payloads.length === 0) delete command.runs;
    for (const payload of payloads) {
      const inner: Context = { ...ctx, via: [...ctx.via, payload.via], extraArgs: [] };
      if (payload.kind === 'command') {
        const assignments = payload.assignments;
        const next = assignments.some((a) => a.startsWith('HOME=')) ? { ...scope, home: undefined } : scope;
        this.emit(payload.words, { assignments, redirects: extra.redirects, substituted: extra.substituted, openArgs: extra.openArgs || payload.openArgs }, next, inner);
      } else if (payload.script !== undefined) {
        this.script(payload.script, payload.sameShell ? scope : shellScope(scope), { ...inner, depth: ctx.depth + 1 });
      }
    }
  }

  /** A shell or interpreter reading its program from a pipe or redirect. */
  private stdinScript(command: SimpleCommand, scope: Scope, ctx: Context): void {
    if (!ctx.stdin || !readsScriptFromStdin(command.name, command.words)) return;
    const text = ctx.stdin.text;
    if (text === undefined || !SHELLS.has(command.name)) {
      command.stdinScript = 'unknown';
      return;
    }
    command.stdinScript = 'known';
    this.script(text, shellScope(scope), { ...ctx, stdin: undefined, via: [...ctx.via, `${command.name} <stdin`], depth: ctx.depth + 1, extraArgs: [] });
  }

  private functionDefinition(node: Node, scope: Scope, ctx: Context): void {
    const name = node.childForFieldName('name')?.text ?? '';
    const body = node.childForFieldName('body');
    if (body) this.statement(body, cloneScope(scope), { ...ctx, inFunction: name, guarded: false, background: false, inPipeline: false, upstream: [] });
    scope.functions.add(name);
  }

  /** `X=1` alone, or `X=$(cmd) Y=2`: sets variables; the substitutions run. */
  private assignmentOnly(node: Node, scope: Scope, ctx: Context): void {
    const first = this.commands.length;
    this.substitutions(node, scope, ctx);
    const nodes = node.type === 'variable_assignment' ? [node] : node.namedChildren.filter((c): c is Node => c?.type === 'variable_assignment');
    const assignments = nodes.map((c) => c.text);
    for (const assignment of nodes) assign(assignment, scope);
    const substituted = this.commands.slice(first).map((command) => command.name);
    this.emit([], { assignments, redirects: ctx.redirects, substituted, openArgs: false }, scope, ctx);
  }

  /** `export A=1`, `declare -x B`, `local c`, `unset X`: a command whose assignments are kept. */
  private declaration(node: Node, scope: Scope, ctx: Context): void {
    const first = this.commands.length;
    this.substitutions(node, scope, ctx);
    const substituted = this.commands.slice(first).map((command) => command.name);
    const keyword = node.children[0]?.text ?? '';
    const words: Word[] = [{ text: keyword, value: keyword, glob: false }];
    const assignments: string[] = [];
    const env = wordEnv(scope);
    for (const child of node.namedChildren) {
      if (!child) continue;
      if (child.type === 'variable_assignment') {
        assignments.push(child.text);
        words.push({ text: child.text, value: undefined, glob: false });
        assign(child, scope);
      } else {
        words.push(...evaluateWord(child, env));
      }
    }
    this.emit(words, { assignments, redirects: ctx.redirects, substituted, openArgs: false }, scope, ctx);
  }
}

/** Substitutions and function bodies start a fresh statement context (same runner chain). */
function plainContext(ctx: Context): Context {
  return { ...ctx, upstream: [], inPipeline: false, background: false, guarded: false, redirects: [], stdin: undefined, extraArgs: [] };
}

/** The text `echo`/`printf` with static arguments writes to a pipe (a script fed to a shell), else undefined. */
function echoedText(stage: Node | undefined, scope: Scope): string | undefined {
  if (stage?.type !== 'command') return undefined;
  const env = wordEnv(scope);
  const words = stage.namedChildren.filter((c): c is Node => c !== null && c.type !== 'variable_assignment').flatMap((c) => evaluateWord(c, env));
  const [head, ...args] = words;
  if (head?.value !== 'echo' && head?.value !== 'printf') return undefined;
  if (args.some((word) => word.value === undefined)) return undefined;
  const values = args.map((word) => word.value ?? '');
  if (head.value === 'printf') return (values[0] ?? '').replace(/\\n/g, '\n');
  while (/^-[neE]+$/.test(values[0] ?? '')) values.shift();
  return values.join(' ');
}
