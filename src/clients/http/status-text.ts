import { STATUS_CODES } from 'node:http';

/** `503 Service Unavailable` */
export function statusLine(status: number): string {
  const text = STATUS_CODES[status];
  return text ? `${status} ${text}` : String(status);
}

/** First line of a text body, trimmed to `max` characters, for error messages. */
export function bodySnippet(body: Buffer, max = 160): string {
  const text = body.subarray(0, 4096).toString('utf8').replace(/\s+/g, ' ').trim();
  return text.length > max ? `${text.slice(0, max)}...` : text;
}
