// Request and response excerpts kept as evidence of a check. They are stored and shown to people, so
// they are capped in size and secrets are masked: credential headers entirely, token-looking values
// wherever they appear (JSON fields named like secrets, bearer tokens, JWTs, long random strings).

export const EXCERPT_BYTES = 2048;
const MASK = '•••';
const SECRET_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'x-auth-token',
]);
const SECRET_FIELD = /token|secret|password|passwd|api[-_]?key|authorization|session|signature|credential/i;
const JWT = /\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;
const BEARER = /\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]+/gi;
// 32+ characters of base64/hex alphabet with at least 4 digits and a letter: session ids, API keys,
// HMACs (readable slugs such as `first-json-service` have no digits and stay visible).
const RANDOM =
  /(?<![A-Za-z0-9_+/=-])(?=(?:[A-Za-z0-9_+/=-]*\d){4})(?=[A-Za-z0-9_+/=-]*[A-Za-z])[A-Za-z0-9_+/=-]{32,}/g;
const JSON_SECRET = /("([^"\\]*)"\s*:\s*)"(?:[^"\\]|\\.)*"/g;
const FORM_SECRET = /(^|[&?])([^=&\s]+)=([^&\s]*)/g;

export interface HeaderLike {
  key: string;
  value: string;
}

/** Masks token-looking values in free text (bodies, header values). */
export function maskSecrets(text: string): string {
  return maskUrl(text).replace(RANDOM, MASK);
}

/** Masks secret query parameters and tokens in a URL, keeping ids in its path readable. */
function maskUrl(text: string): string {
  return text
    .replace(JSON_SECRET, (whole, prefix: string, key: string) =>
      SECRET_FIELD.test(key) ? `${prefix}"${MASK}"` : whole,
    )
    .replace(FORM_SECRET, (whole, lead: string, key: string) =>
      SECRET_FIELD.test(key) ? `${lead}${key}=${MASK}` : whole,
    )
    .replace(JWT, MASK)
    .replace(BEARER, (_whole, scheme: string) => `${scheme} ${MASK}`);
}

function headerLines(headers: HeaderLike[]): string[] {
  return headers.map(({ key, value }) =>
    SECRET_HEADERS.has(key.toLowerCase()) ? `${key}: ${MASK}` : `${key}: ${maskSecrets(value)}`,
  );
}

/** Cuts text to `limit` bytes of UTF-8 without splitting a character, marking the cut. */
export function capBytes(text: string, limit = EXCERPT_BYTES): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= limit) return text;
  const marker = '\n… (cut)';
  let end = limit - Buffer.byteLength(marker);
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end -= 1;
  return bytes.subarray(0, end).toString('utf8') + marker;
}

/** `METHOD url`, headers, blank line, body — masked, then capped. */
export function requestExcerpt(method: string, url: string, headers: HeaderLike[], body: string): string {
  const head = [`${method} ${maskUrl(url)}`, ...headerLines(headers)].join('\n');
  const shown = body.length > EXCERPT_BYTES * 2 ? body.slice(0, EXCERPT_BYTES * 2) : body;
  return capBytes(shown ? `${head}\n\n${maskSecrets(shown)}` : head);
}

/** `HTTP status reason`, headers, blank line, body — masked, then capped. */
export function responseExcerpt(status: number, reason: string, headers: HeaderLike[], body: string): string {
  const head = [`HTTP ${status} ${reason}`.trimEnd(), ...headerLines(headers)].join('\n');
  // Mask only the part that can be shown: masking a huge body costs time for text that is cut anyway.
  const shown = body.length > EXCERPT_BYTES * 2 ? body.slice(0, EXCERPT_BYTES * 2) : body;
  return capBytes(shown ? `${head}\n\n${maskSecrets(shown)}` : head);
}
