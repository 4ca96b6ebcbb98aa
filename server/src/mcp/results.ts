/**
 * An MCP `tools/call` result turned into a tool result the model reads: text parts joined,
 * images, audio and resources summarised in one line each (their bytes are not sent to the model),
 * structured content as JSON when there is no text, `isError` kept. The size is capped like the
 * base tools' output.
 */
import type { CallToolResult, ContentBlock } from '@modelcontextprotocol/sdk/types.js';
import { errorResult, okResult } from '../tools/results';
import type { ToolResult } from '../tools/types';

/** Characters of a result sent to the model; the rest is cut with a note (as read_file's 256 KiB). */
export const MCP_RESULT_MAX_CHARS = 256 * 1024;

/**
 * @param server the server's name, for the summary.
 * @param tool the tool's MCP name, for the summary.
 * @param result what `tools/call` answered (a legacy `{toolResult}` answer is shown as JSON).
 */
export function toToolResult(server: string, tool: string, result: CallToolResult | { toolResult: unknown }): ToolResult {
  if ('toolResult' in result) return okResult(capped(JSON.stringify(result.toolResult, null, 2)), `${server}/${tool}: done`);
  const parts = (result.content ?? []).map(describeContent);
  if (parts.length === 0 && result.structuredContent !== undefined) parts.push(JSON.stringify(result.structuredContent, null, 2));
  const content = capped(parts.join('\n'));
  const firstLine = content.split('\n').find((line) => line.trim() !== '')?.trim() ?? '';
  const shown = firstLine.length > 100 ? `${firstLine.slice(0, 97)}...` : firstLine;
  if (result.isError === true) {
    const message = content === '' ? `The MCP tool ${tool} of the server ${server} failed and gave no reason.` : content;
    return errorResult(message, `${server}/${tool} failed${shown ? `: ${shown}` : ''}`);
  }
  return okResult(content === '' ? '(the tool returned no content)' : content, `${server}/${tool}${shown ? `: ${shown}` : ': no content'}`);
}

/** One content block as text for the model. */
export function describeContent(block: ContentBlock): string {
  switch (block.type) {
    case 'text':
      return block.text;
    case 'image':
    case 'audio':
      return `[${block.type}: ${block.mimeType}, ${base64Bytes(block.data)} bytes, not shown]`;
    case 'resource_link':
      return `[resource link: ${block.name} <${block.uri}>${block.mimeType ? ` (${block.mimeType})` : ''}${block.description ? `: ${block.description}` : ''}]`;
    case 'resource': {
      const { resource } = block;
      const mime = resource.mimeType ? ` (${resource.mimeType})` : '';
      if ('text' in resource && typeof resource.text === 'string') return `[resource <${resource.uri}>${mime}]\n${resource.text}`;
      const blob = 'blob' in resource && typeof resource.blob === 'string' ? resource.blob : '';
      return `[resource <${resource.uri}>${mime}: ${base64Bytes(blob)} bytes of binary data, not shown]`;
    }
    default:
      return `[${(block as { type: string }).type} content, not shown]`;
  }
}

function base64Bytes(data: string): number {
  const padding = data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0;
  return Math.max(0, Math.floor((data.length * 3) / 4) - padding);
}

function capped(text: string): string {
  if (text.length <= MCP_RESULT_MAX_CHARS) return text;
  return `${text.slice(0, MCP_RESULT_MAX_CHARS)}\n[cut: ${text.length - MCP_RESULT_MAX_CHARS} more characters of this MCP result were left out; ask the tool for less, for example a narrower query or a smaller range]`;
}
