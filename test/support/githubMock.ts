/**
 * A local HTTP server standing in for api.github.com in tests. It checks EVERY request against
 * GitHub's own REST description (`@octokit/openapi`, `generated/api.github.com.deref.json`): the
 * operation is found by method and path template, the path and query parameters and the JSON body
 * are validated against the operation's schemas with ajv (+ ajv-formats), and an `Authorization`
 * header is required. A request that fails a check is answered as GitHub answers (404 for an
 * unknown route, 400 for a body that is not JSON, 422 for an invalid one, 401 without a token)
 * AND recorded in {@link GitHubMock.violations}, so that the test fails.
 *
 * Answers are recorded real responses, with only the fields a test must see rewritten (owner,
 * repository, number, head, base, title, body, draft, URLs):
 * - `GET /repos/{owner}/{repo}`: `@octokit/fixtures` scenario `api.github.com/get-repository`;
 * - `GET|POST /repos/{owner}/{repo}/pulls`: the fixtures have no scenario, so the `default`
 *   examples GitHub's description gives for the operations' responses;
 * - a token other than the expected one: 401 with the body GitHub documents for bad credentials
 *   (docs.github.com/rest/authentication: `{"message": "Bad credentials", "documentation_url": ...}`),
 *   in the "Basic Error" shape of the description;
 * - other repositories: 404 `Not Found`, as GitHub answers for a repository a token cannot see.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { git } from './gitRepos';
import { repoRoot } from './repo';

const DESCRIPTION_FILE = path.join(repoRoot, 'node_modules/@octokit/openapi/generated/api.github.com.deref.json');
const FIXTURES_DIR = path.join(repoRoot, 'node_modules/@octokit/fixtures/scenarios/api.github.com');
const DOCS_URL = 'https://docs.github.com/rest';

/** How the mock is set up. */
export interface GitHubMockOptions {
  /** The one token it accepts (`Authorization: token T` or `Bearer T`). */
  token: string;
  /** The repository it serves. */
  owner: string;
  repo: string;
  /** The repository's default branch. Default `main`. */
  defaultBranch?: string;
  /**
   * The branches on the git remote; when given, `POST /pulls` answers GitHub's 422 when `head`
   * is not among them (a pull request of a branch that was not pushed).
   */
  remoteBranches?: () => Promise<string[]>;
}

/** A request as the mock received it. */
export interface GitHubMockRequest {
  method: string;
  /** Path without the query, and without a GitHub Enterprise `/api/v3` prefix. */
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body, undefined when there was none. */
  body: unknown;
  /** The description's `operationId` (`pulls/create`), '' for an unknown route. */
  operationId: string;
  /** The status it was answered with. */
  status: number;
}

/** An open pull request the mock holds. */
export interface MockPull {
  number: number;
  title: string;
  body: string;
  head: string;
  base: string;
  draft: boolean;
}

/** A running mock. */
export interface GitHubMock {
  /** `http://127.0.0.1:<port>`: the `baseUrl` / `moco.github.apiUrl` to give the client. */
  apiUrl: string;
  requests: GitHubMockRequest[];
  /** Every request that broke GitHub's description, one sentence each. Tests expect `[]`. */
  violations: string[];
  /** Open pull requests, in creation order. */
  pulls: MockPull[];
  /** Adds an open pull request (one that existed before the test). */
  addPull(pull: Omit<MockPull, 'number'>): MockPull;
  close(): Promise<void>;
}

export interface Operation {
  method: string;
  template: string;
  pattern: RegExp;
  names: string[];
  /** Literal segments: a template with more wins over one with parameters there. */
  literals: number;
  spec: OperationSpec;
}

interface ParameterSpec {
  name: string;
  in: string;
  required?: boolean;
  schema?: object;
}

interface OperationSpec {
  operationId: string;
  parameters?: ParameterSpec[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: object }> };
  responses: Record<string, { content?: Record<string, { examples?: Record<string, { value: unknown }> }> }>;
}

let operations: Operation[] | undefined;

/**
 * Reads GitHub's description (73 MB: one to a few seconds, once per process). {@link startGitHubMock}
 * does it too; call it in a `beforeAll` with a generous timeout so that no test pays for it.
 */
export function loadGitHubDescription(): void {
  loadOperations();
}

/** The description's operations, read once per process. */
function loadOperations(): Operation[] {
  if (operations) return operations;
  const description = JSON.parse(readFileSync(DESCRIPTION_FILE, 'utf8')) as { paths: Record<string, Record<string, unknown>> };
  const list: Operation[] = [];
  for (const [template, item] of Object.entries(description.paths)) {
    const names: string[] = [];
    const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{([^}]+)\}/g, (_match, name: string) => {
      names.push(name);
      return '([^/]+)';
    });
    const literals = template.split('/').filter((segment) => segment !== '' && !segment.startsWith('{')).length;
    for (const [method, spec] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      // Only what the checks and answers read is kept, so that the rest of the 73 MB can be collected.
      const { operationId, parameters, requestBody, responses } = spec as OperationSpec;
      const examples = Object.fromEntries(
        Object.entries(responses).map(([status, response]) => [status, { content: { 'application/json': { examples: response.content?.['application/json']?.examples ?? {} } } }]),
      );
      const kept: OperationSpec = { operationId, responses: examples, ...(parameters ? { parameters } : {}), ...(requestBody ? { requestBody } : {}) };
      list.push({ method: method.toUpperCase(), template, pattern: new RegExp(`^${source}$`), names, literals, spec: kept });
    }
  }
  operations = list.sort((a, b) => b.literals - a.literals);
  return operations;
}

const ajv = new Ajv({ strict: false, allErrors: true, logger: false });
addFormats(ajv);
const coercing = new Ajv({ strict: false, allErrors: true, logger: false, coerceTypes: true });
addFormats(coercing);
const validators = new Map<string, ValidateFunction>();

function validator(key: string, schema: object, engine: Ajv = ajv): ValidateFunction {
  let compiled = validators.get(key);
  if (!compiled) {
    compiled = engine.compile(schema);
    validators.set(key, compiled);
  }
  return compiled;
}

/**
 * The problems of a request against its operation: parameters, body, authorization. Empty when it
 * is valid.
 */
export function checkRequest(operation: Operation, params: Record<string, string>, query: Record<string, string>, headers: IncomingHttpHeaders, raw: string): { problems: string[]; body: unknown; status: number } {
  const problems: string[] = [];
  const id = operation.spec.operationId;
  for (const where of ['path', 'query'] as const) {
    const specs = (operation.spec.parameters ?? []).filter((parameter) => parameter.in === where);
    const schema = {
      type: 'object',
      properties: Object.fromEntries(specs.map((parameter) => [parameter.name, parameter.schema ?? {}])),
      required: specs.filter((parameter) => parameter.required).map((parameter) => parameter.name),
      additionalProperties: false,
    };
    const validate = validator(`${id} ${where}`, schema, coercing);
    const values = { ...(where === 'path' ? params : query) };
    if (!validate(values)) problems.push(`${where} parameters of ${id}: ${coercing.errorsText(validate.errors)}`);
  }
  let body: unknown;
  if (raw !== '') {
    try {
      body = JSON.parse(raw);
    } catch {
      return { problems: [`the body of ${id} is not JSON`], body: raw, status: 400 };
    }
  }
  const content = operation.spec.requestBody?.content?.['application/json'];
  if (body !== undefined && !content) problems.push(`${id} takes no body, but one was sent`);
  if (body === undefined && operation.spec.requestBody?.required) problems.push(`${id} requires a JSON body`);
  if (body !== undefined && content?.schema) {
    if (!/^application\/json/.test(headers['content-type'] ?? '')) problems.push(`the body of ${id} was sent as ${headers['content-type'] ?? 'no content type'}, not application/json`);
    const validate = validator(`${id} body`, content.schema);
    if (!validate(body)) problems.push(`the body of ${id} does not match GitHub's schema: ${ajv.errorsText(validate.errors)}`);
  }
  if (!headers.authorization) return { problems: [...problems, `${id} was sent without an Authorization header`], body, status: 401 };
  return { problems, body, status: problems.length > 0 ? 422 : 200 };
}

/** The operation of a method and path, with its path parameters. */
export function findOperation(method: string, urlPath: string): { operation: Operation; params: Record<string, string> } | undefined {
  for (const operation of loadOperations()) {
    if (operation.method !== method) continue;
    const match = operation.pattern.exec(urlPath);
    if (!match) continue;
    const params = Object.fromEntries(operation.names.map((name, index) => [name, decodeURIComponent(match[index + 1] ?? '')]));
    return { operation, params };
  }
  return undefined;
}

/** The `default` example of an operation's response, deep-copied. */
function example(operation: Operation, status: string): Record<string, unknown> {
  const value = operation.spec.responses[status]?.content?.['application/json']?.examples?.default?.value;
  if (value === undefined) throw new Error(`GitHub's description has no example for ${operation.spec.operationId} ${status}`);
  const copy = structuredClone(value);
  return (Array.isArray(copy) ? copy[0] : copy) as Record<string, unknown>;
}

/** The recorded `GET /repos/octokit-fixture-org/hello-world` answer: body and headers. */
function recordedRepository(): { body: string; headers: Record<string, string> } {
  const [fixture] = JSON.parse(readFileSync(path.join(FIXTURES_DIR, 'get-repository', 'normalized-fixture.json'), 'utf8')) as {
    response: unknown;
    headers: Record<string, string>;
  }[];
  if (!fixture) throw new Error('the get-repository fixture is empty');
  const kept = ['content-type', 'x-github-media-type', 'x-oauth-scopes', 'x-accepted-oauth-scopes', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-resource'];
  return { body: JSON.stringify(fixture.response), headers: Object.fromEntries(kept.flatMap((name) => (fixture.headers[name] ? [[name, fixture.headers[name]]] : []))) };
}

/** Starts the mock on a free port of 127.0.0.1. */
export async function startGitHubMock(options: GitHubMockOptions): Promise<GitHubMock> {
  loadOperations();
  const requests: GitHubMockRequest[] = [];
  const violations: string[] = [];
  const pulls: MockPull[] = [];
  let nextNumber = 1347;
  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      violations.push(`mock failure: ${String(error)}`);
      if (!res.headersSent) send(res, 500, { message: String(error), documentation_url: DOCS_URL });
    });
  });
  let apiUrl = '';

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const urlPath = url.pathname.replace(/^\/api\/v3(?=\/)/, '');
    const query = Object.fromEntries(url.searchParams);
    const method = req.method ?? 'GET';
    const record = (status: number, operationId: string, body: unknown): void => {
      requests.push({ method, path: urlPath, query, headers: req.headers, body, operationId, status });
    };
    const found = findOperation(method, urlPath);
    if (!found) {
      violations.push(`${method} ${urlPath} is no operation of GitHub's REST API`);
      record(404, '', raw);
      return send(res, 404, { message: 'Not Found', documentation_url: DOCS_URL, status: '404' });
    }
    const { operation, params } = found;
    const id = operation.spec.operationId;
    const checked = checkRequest(operation, params, query, req.headers, raw);
    violations.push(...checked.problems.map((problem) => `${method} ${urlPath}: ${problem}`));
    if (checked.status !== 200) {
      record(checked.status, id, checked.body);
      if (checked.status === 401) return send(res, 401, { message: 'Requires authentication', documentation_url: DOCS_URL, status: '401' });
      const message = checked.status === 400 ? 'Problems parsing JSON' : `Invalid request.\n\n${checked.problems.join('\n')}`;
      return send(res, checked.status, { message, documentation_url: DOCS_URL, status: String(checked.status) });
    }
    const reply = await answer(id, params, query, checked.body, req.headers);
    record(reply.status, id, checked.body);
    send(res, reply.status, reply.body, reply.headers);
  }

  async function answer(id: string, params: Record<string, string>, query: Record<string, string>, body: unknown, headers: IncomingHttpHeaders): Promise<{ status: number; body: unknown; headers?: Record<string, string> }> {
    const token = /^(?:token|bearer)\s+(.+)$/i.exec(headers.authorization ?? '')?.[1];
    if (token !== options.token) return { status: 401, body: { message: 'Bad credentials', documentation_url: DOCS_URL, status: '401' } };
    if (params.owner?.toLowerCase() !== options.owner.toLowerCase() || params.repo?.toLowerCase() !== options.repo.toLowerCase()) {
      return { status: 404, body: { message: 'Not Found', documentation_url: DOCS_URL, status: '404' } };
    }
    const operation = loadOperations().find((candidate) => candidate.spec.operationId === id) as Operation;
    if (id === 'repos/get') {
      const recorded = recordedRepository();
      const repository = JSON.parse(recorded.body.replaceAll('octokit-fixture-org/hello-world', `${options.owner}/${options.repo}`).replaceAll('octokit-fixture-org', options.owner)) as Record<string, unknown>;
      Object.assign(repository, { name: options.repo, default_branch: options.defaultBranch ?? 'main' });
      return { status: 200, body: repository, headers: recorded.headers };
    }
    if (id === 'pulls/list') {
      const head = query.head?.includes(':') ? query.head.slice(query.head.indexOf(':') + 1) : query.head;
      const open = query.state === 'closed' ? [] : pulls.filter((pull) => head === undefined || pull.head === head);
      return { status: 200, body: open.map((pull) => pullResponse(example(operation, '200'), pull)) };
    }
    if (id === 'pulls/create') {
      const given = body as { title?: string; body?: string; head: string; base: string; draft?: boolean };
      const head = given.head.includes(':') ? given.head.slice(given.head.indexOf(':') + 1) : given.head;
      if (pulls.some((pull) => pull.head === head)) {
        return validationFailed(`A pull request already exists for ${options.owner}:${head}.`);
      }
      if (options.remoteBranches && !(await options.remoteBranches()).includes(head)) {
        return { status: 422, body: { message: 'Validation Failed', errors: [{ resource: 'PullRequest', field: 'head', code: 'invalid' }], documentation_url: 'https://docs.github.com/rest/pulls/pulls#create-a-pull-request', status: '422' } };
      }
      const pull = { number: nextNumber++, title: given.title ?? '', body: given.body ?? '', head, base: given.base, draft: given.draft === true };
      pulls.push(pull);
      return { status: 201, body: pullResponse(example(operation, '201'), pull) };
    }
    violations.push(`${id} is valid, but the mock has no answer for it; add one to test/support/githubMock.ts`);
    return { status: 501, body: { message: `The mock does not answer ${id}`, documentation_url: DOCS_URL } };
  }

  /** A pull request example with the fields of `pull` and the mock's repository. */
  function pullResponse(template: Record<string, unknown>, pull: MockPull): Record<string, unknown> {
    const full = `${options.owner}/${options.repo}`;
    const text = JSON.stringify(template).replaceAll('octocat/Hello-World', full).replaceAll('/pull/1347', `/pull/${pull.number}`).replaceAll('/pulls/1347', `/pulls/${pull.number}`).replaceAll('/issues/1347', `/issues/${pull.number}`);
    const response = JSON.parse(text) as Record<string, unknown> & { head: Record<string, unknown>; base: Record<string, unknown> };
    Object.assign(response, { number: pull.number, title: pull.title, body: pull.body, draft: pull.draft, state: 'open', html_url: `https://github.com/${full}/pull/${pull.number}`, url: `${apiUrl}/repos/${full}/pulls/${pull.number}` });
    Object.assign(response.head, { ref: pull.head, label: `${options.owner}:${pull.head}` });
    Object.assign(response.base, { ref: pull.base, label: `${options.owner}:${pull.base}` });
    return response;
  }

  function validationFailed(message: string): { status: number; body: unknown } {
    return {
      status: 422,
      body: { message: 'Validation Failed', errors: [{ resource: 'PullRequest', code: 'custom', message }], documentation_url: 'https://docs.github.com/rest/pulls/pulls#create-a-pull-request', status: '422' },
    };
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    apiUrl,
    requests,
    violations,
    pulls,
    addPull(pull) {
      const added = { ...pull, number: nextNumber++ };
      pulls.push(added);
      return added;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-github-media-type': 'github.v3; format=json', ...headers, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });
}

/**
 * Makes `remote` of the repository `dir` look like GitHub's `https://github.com/<owner>/<repo>.git`
 * while fetches and pushes go to the local bare repository `bare`: the remote's configured URL is
 * the GitHub one (what MOCO parses), and `url.<bare>.insteadOf` rewrites it for git.
 */
export async function pointRemoteAtGitHub(dir: string, bare: string, owner: string, repo: string, remote = 'origin', host = 'github.com'): Promise<string> {
  const url = `https://${host}/${owner}/${repo}.git`;
  await git(dir, 'remote', 'set-url', remote, url);
  await git(dir, 'config', `url.${bare}.insteadOf`, url);
  return url;
}
