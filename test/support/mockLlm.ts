/**
 * A mock OpenAI-compatible server for tests: real HTTP on 127.0.0.1, the real wire format, and a
 * script that decides each answer.
 *
 * - `POST /v1/chat/completions` streams `chat.completion.chunk` events as server-sent events
 *   (https://platform.openai.com/docs/api-reference/chat-streaming): the role first, reasoning
 *   in `reasoning_content` deltas, content in several deltas, each tool call as a first delta
 *   with `index`, `id`, `type` and `function.name` followed by its arguments in pieces, a chunk
 *   with `finish_reason`, a usage chunk with `choices: []` when `stream_options.include_usage`
 *   was asked, then `data: [DONE]`. With `stream: false`, one `chat.completion` object.
 * - Errors: the status, headers such as `Retry-After`, and `{error: {message, type, code}}`.
 * - Faults: latency before the first byte, delay between chunks, a socket closed after N chunks.
 * - `GET /v1/models`, and Ollama's `POST /api/show` (https://docs.ollama.com/api-reference/show-model-details).
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** One scripted answer. Fields left out give a plain successful answer. */
export interface MockReply {
  /** HTTP status; 400 and above answer an error instead of a completion. */
  status?: number;
  /** Extra response headers, for example `{ 'retry-after': '1' }`. */
  headers?: Record<string, string>;
  /** The error body; default `{error: {message, type, code}}` from the status. */
  errorBody?: unknown;
  /** Wait before the first byte (ms). */
  latencyMs?: number;
  /** Wait between two chunks (ms). */
  chunkDelayMs?: number;
  content?: string;
  reasoning?: string;
  toolCalls?: { id?: string; name: string; arguments: string | object }[];
  /** The usage to report; default a count from the text lengths; `false` for none. */
  usage?: { prompt_tokens: number; completion_tokens: number } | false;
  /** Default `tool_calls` when there are tool calls, else `stop`. */
  finishReason?: string;
  /** Close the socket after this many chunks, without `finish_reason` or `[DONE]`. */
  cutAfterChunks?: number;
  /**
   * Called with `Date.now()` once the first chunk with answer text is on the wire: the moment
   * the model's first token is sent (for latency benchmarks).
   */
  onFirstContent?: (epochMs: number) => void;
  /** Pieces each tool call's arguments are split into. Default 3. */
  argumentChunks?: number;
  /** Pieces the content is split into. Default 3. */
  contentChunks?: number;
  /** Model name in the chunks. Default: the request's. */
  model?: string;
}

/** The JSON body of a request: a chat.completions request, `{model}` for /api/show, `{}` for a GET. */
export interface MockRequestBody {
  model?: string;
  messages?: { role: string; content?: unknown; tool_calls?: unknown; tool_call_id?: string }[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  tools?: unknown[];
  [field: string]: unknown;
}

/** A request as the mock received it. */
export interface MockRequest {
  body: MockRequestBody;
  headers: IncomingHttpHeaders;
  method: string;
  /** `/v1/chat/completions`, `/api/show`, `/v1/models`. */
  path: string;
  /** The content of the first system message, '' when none. */
  systemPrompt: string;
  /** The content of the last user or tool message, '' when none. */
  lastUserOrToolMessage: string;
}

/** Decides the answer to the chat request number `index` (from 0). */
export type MockScript = (request: MockRequest, index: number) => MockReply | Promise<MockReply>;

/** A running mock. */
export interface MockLlm {
  /** `http://127.0.0.1:<port>/v1`, the base URL for the SDK. */
  baseURL: string;
  /** `http://127.0.0.1:<port>`, the root (Ollama's host). */
  host: string;
  /** Every request received, in order (chat, /api/show and /v1/models alike). */
  requests: MockRequest[];
  /** The chat completion requests only. */
  chatRequests(): MockRequest[];
  /** The most chat requests that were being answered at the same moment (1 when none overlapped). */
  maxInFlight(): number;
  close(): Promise<void>;
}

/** Options of {@link startMockLlm}. */
export interface MockLlmOptions {
  /** Ollama's `num_ctx` for /api/show `parameters`; absent: no `num_ctx` line. */
  ollamaContext?: number;
  /** `model_info.llama.context_length` for /api/show. Default 131072. */
  ollamaMaxContext?: number;
  /** `capabilities` for /api/show. Default `['completion', 'tools']`. */
  ollamaCapabilities?: string[];
  /** Ids listed by /v1/models. Default `['mock-model']`. */
  models?: string[];
}

/** Starts a mock on a free port of 127.0.0.1. */
export async function startMockLlm(script: MockScript, options: MockLlmOptions = {}): Promise<MockLlm> {
  const requests: MockRequest[] = [];
  let chatIndex = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: { message: `mock failure: ${String(error)}`, type: 'mock_error' } });
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const request = describeRequest(req, path, raw);
    requests.push(request);
    if (req.method === 'GET' && path === '/v1/models') {
      sendJson(res, 200, { object: 'list', data: (options.models ?? ['mock-model']).map((id) => ({ id, object: 'model', created: 0, owned_by: 'mock' })) });
    } else if (req.method === 'POST' && path === '/api/show') {
      sendJson(res, 200, ollamaShow(options));
    } else if (req.method === 'POST' && path === '/v1/chat/completions') {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      res.once('close', () => (inFlight -= 1));
      const reply = await script(request, chatIndex++);
      await answerChat(req, res, request, reply);
    } else {
      sendJson(res, 404, { error: { message: `mock: no route ${req.method} ${path}`, type: 'not_found' } });
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const host = `http://127.0.0.1:${port}`;
  return {
    baseURL: `${host}/v1`,
    host,
    requests,
    chatRequests: () => requests.filter((request) => request.path === '/v1/chat/completions'),
    maxInFlight: () => maxInFlight,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** A script that answers the replies in turn, and fails loudly past the last one. */
export function sequence(replies: MockReply[]): MockScript {
  return (_request, index) => {
    const reply = replies[index];
    if (!reply) throw new Error(`the script has ${replies.length} replies; request #${index + 1} came`);
    return reply;
  };
}

/** A script that gives the same reply to every request. */
export function always(reply: MockReply): MockScript {
  return () => reply;
}

/** A reply that calls one tool. */
export function toolCall(name: string, args: object, extra: Partial<MockReply> = {}): MockReply {
  return { toolCalls: [{ name, arguments: args }], ...extra };
}

function describeRequest(req: IncomingMessage, path: string, raw: string): MockRequest {
  const body = (raw ? JSON.parse(raw) : {}) as MockRequestBody;
  const messages = Array.isArray(body.messages) ? body.messages : [];
  const system = messages.find((message) => message.role === 'system');
  const last = [...messages].reverse().find((message) => message.role === 'user' || message.role === 'tool');
  return {
    body,
    headers: req.headers,
    method: req.method ?? 'GET',
    path,
    systemPrompt: typeof system?.content === 'string' ? system.content : '',
    lastUserOrToolMessage: typeof last?.content === 'string' ? last.content : '',
  };
}

async function answerChat(req: IncomingMessage, res: ServerResponse, request: MockRequest, reply: MockReply): Promise<void> {
  const closed = new AbortController();
  res.on('close', () => closed.abort());
  if (reply.latencyMs) await pause(reply.latencyMs, closed.signal);
  if (closed.signal.aborted) return;
  const status = reply.status ?? 200;
  if (status >= 400) {
    sendJson(res, status, reply.errorBody ?? defaultErrorBody(status), reply.headers);
    return;
  }
  if (request.body.stream !== true) {
    sendJson(res, status, completionObject(request, reply), reply.headers);
    return;
  }
  res.writeHead(status, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', ...reply.headers });
  const chunks = streamChunks(request, reply);
  let contentSent = false;
  for (const [index, chunk] of chunks.entries()) {
    if (reply.cutAfterChunks !== undefined && index >= reply.cutAfterChunks) {
      req.socket.destroy();
      return;
    }
    if (index > 0 && reply.chunkDelayMs) await pause(reply.chunkDelayMs, closed.signal);
    if (closed.signal.aborted) return;
    // Wait until the chunk is on the wire, so that a cut after it does not swallow it.
    await new Promise<void>((resolve) => res.write(`data: ${JSON.stringify(chunk)}\n\n`, () => resolve()));
    if (reply.onFirstContent && !contentSent && hasContent(chunk)) {
      contentSent = true;
      reply.onFirstContent(Date.now());
    }
  }
  res.end('data: [DONE]\n\n');
}

function hasContent(chunk: object): boolean {
  const delta = (chunk as { choices?: { delta?: { content?: unknown } }[] }).choices?.[0]?.delta;
  return typeof delta?.content === 'string' && delta.content !== '';
}

/** The chunks of a streamed answer, before `[DONE]`. */
function streamChunks(request: MockRequest, reply: MockReply): object[] {
  const base = { id: 'chatcmpl-mock', object: 'chat.completion.chunk', created: 1_700_000_000, model: reply.model ?? request.body.model ?? 'mock-model' };
  const chunk = (delta: object, finishReason: string | null = null): object => ({ ...base, choices: [{ index: 0, delta, finish_reason: finishReason }] });
  const chunks: object[] = [chunk({ role: 'assistant', content: '' })];
  for (const piece of split(reply.reasoning ?? '', 3)) chunks.push(chunk({ reasoning_content: piece }));
  for (const piece of split(reply.content ?? '', reply.contentChunks ?? 3)) chunks.push(chunk({ content: piece }));
  for (const [index, call] of toolCallsOf(reply).entries()) {
    chunks.push(chunk({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }] }));
    for (const piece of split(call.arguments, reply.argumentChunks ?? 3)) {
      chunks.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
    }
  }
  chunks.push(chunk({}, finishReasonOf(reply)));
  if (request.body.stream_options?.include_usage && reply.usage !== false) {
    chunks.push({ ...base, choices: [], usage: usageOf(request, reply) });
  }
  return chunks;
}

function completionObject(request: MockRequest, reply: MockReply): object {
  const calls = toolCallsOf(reply);
  const message: Record<string, unknown> = { role: 'assistant', content: reply.content ?? (calls.length ? null : '') };
  if (reply.reasoning) message.reasoning_content = reply.reasoning;
  if (calls.length) message.tool_calls = calls.map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } }));
  const completion: Record<string, unknown> = {
    id: 'chatcmpl-mock',
    object: 'chat.completion',
    created: 1_700_000_000,
    model: reply.model ?? request.body.model ?? 'mock-model',
    choices: [{ index: 0, message, finish_reason: finishReasonOf(reply), logprobs: null }],
  };
  if (reply.usage !== false) completion.usage = usageOf(request, reply);
  return completion;
}

function toolCallsOf(reply: MockReply): { id: string; name: string; arguments: string }[] {
  return (reply.toolCalls ?? []).map((call, index) => ({
    id: call.id ?? `call_mock_${index + 1}`,
    name: call.name,
    arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments),
  }));
}

function finishReasonOf(reply: MockReply): string {
  return reply.finishReason ?? (reply.toolCalls?.length ? 'tool_calls' : 'stop');
}

function usageOf(request: MockRequest, reply: MockReply): object {
  if (reply.usage) return { ...reply.usage, total_tokens: reply.usage.prompt_tokens + reply.usage.completion_tokens };
  const prompt = Math.ceil(JSON.stringify(request.body.messages ?? []).length / 4);
  const output = (reply.content ?? '') + (reply.reasoning ?? '') + toolCallsOf(reply).map((call) => call.arguments).join('');
  const completion = Math.ceil(output.length / 4);
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

function defaultErrorBody(status: number): object {
  const kinds: Record<number, [string, string]> = {
    400: ['invalid_request_error', 'Bad request'],
    401: ['invalid_request_error', 'Incorrect API key provided'],
    403: ['permission_error', 'Forbidden'],
    404: ['invalid_request_error', 'The model does not exist'],
    429: ['rate_limit_error', 'Rate limit reached'],
    500: ['server_error', 'The server had an error while processing your request'],
    503: ['server_error', 'The engine is currently overloaded'],
  };
  const [type, message] = kinds[status] ?? ['server_error', `HTTP ${status}`];
  return { error: { message, type, code: status === 401 ? 'invalid_api_key' : null } };
}

function ollamaShow(options: MockLlmOptions): object {
  return {
    parameters: options.ollamaContext === undefined ? 'temperature 0.7' : `temperature 0.7\nnum_ctx ${options.ollamaContext}`,
    capabilities: options.ollamaCapabilities ?? ['completion', 'tools'],
    details: { format: 'gguf', family: 'llama', parameter_size: '8.0B', quantization_level: 'Q4_K_M' },
    model_info: { 'general.architecture': 'llama', 'llama.context_length': options.ollamaMaxContext ?? 131_072 },
  };
}

/** `text` in `pieces` parts of about equal length ('' gives none). */
function split(text: string, pieces: number): string[] {
  if (!text) return [];
  const size = Math.max(1, Math.ceil(text.length / Math.max(1, pieces)));
  const parts: string[] = [];
  for (let start = 0; start < text.length; start += size) parts.push(text.slice(start, start + size));
  return parts;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

async function pause(ms: number, signal: AbortSignal): Promise<void> {
  try {
    await sleep(ms, undefined, { signal });
  } catch {
    // the client went away: stop quietly
  }
}
