/**
 * Keeps credentials out of anything a user or a log can see. Every message built from a
 * third-party error goes through `redact` with the secrets in play.
 */
const REDACTED = '<redacted>';

export function basicAuthValue(principal: string, secret: string): string {
  return `Basic ${Buffer.from(`${principal}:${secret}`, 'utf8').toString('base64')}`;
}

/** Replaces each secret (and its basic-auth encodings) and any Authorization header value. */
export function redact(text: string, secrets: ReadonlyArray<string>): string {
  let out = text;
  for (const s of secrets) {
    if (!s || s.length < 3) continue;
    out = out.split(s).join(REDACTED);
  }
  out = out.replace(/(authorization["']?\s*[:=]\s*["']?)(basic|bearer)\s+[A-Za-z0-9+/=._~-]+/gi, `$1$2 ${REDACTED}`);
  return out;
}

/** A URL fit for messages: user:password@ removed. Not a URL: returned unchanged. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (!u.username && !u.password) return url;
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return url;
  }
}

/**
 * An Error safe to keep as `cause`: only a redacted message and an errno-style code, with a fresh
 * stack (never a third-party error object, whose config/request fields may hold headers).
 */
export function sanitizedCause(message: string, code: string | undefined, secrets: ReadonlyArray<string>): Error {
  const e = new Error(redact(message, secrets));
  if (code) (e as Error & { code?: string }).code = code;
  return e;
}
