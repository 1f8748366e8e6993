/**
 * Secrets that travel in URLs (one-time links sent by mail, the CSRF token of a GET form) must not be written
 * where others read: the request log, the outbox as shown to administrators. Tokens stay hashed at rest; these
 * helpers mask them on the way out. A query parameter is secret by its name; a path segment by its shape (long,
 * mixed-case base64url, as `newToken()` makes them: ids, slugs and INSEE codes never look like that).
 */
const SECRET_PARAMS = ['jeton', 'token', '_csrf', 'secret', 'cle', 'key', 'password'];
const MASK = '***';

const secretParam = new RegExp(`([?&](?:${SECRET_PARAMS.join('|')})=)[^&#\\s]*`, 'gi');
const looksLikeToken = (segment: string) => segment.length >= 32 && /^[A-Za-z0-9_-]+$/.test(segment) && /[A-Z]/.test(segment) && /[a-z]/.test(segment);

/** The URL with secret query values and token-like path segments replaced by `***`. */
export function redactUrl(url: string): string {
  const q = url.search(/[?#]/);
  const pathPart = q === -1 ? url : url.slice(0, q);
  const rest = q === -1 ? '' : url.slice(q);
  const path = pathPart
    .split('/')
    .map((segment) => (looksLikeToken(segment) ? MASK : segment))
    .join('/');
  return path + rest.replace(secretParam, `$1${MASK}`);
}

/** Every URL in a text (a mail body) redacted the same way. */
export function redactSecretsInText(text: string): string {
  return text.replace(/https?:\/\/[^\s<>"]+|\/[^\s<>"]*\?[^\s<>"]+/g, (url) => redactUrl(url));
}
