/**
 * The security headers every response carries: the Content-Security-Policy (no inline script, nothing from another
 * origin, no framing) and helmet's hardening headers. Computed once at start from helmet's own middleware, then set
 * on each response as a fixed list: the Fastify plugin rebuilt helmet's middleware, parsing the policy again, for
 * every request (about a tenth of the CPU of a cached page). A route that needs another policy (a downloaded
 * document's `sandbox`) sets its own header, which replaces this one.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet from 'helmet';

export function securityHeaders(options: { hsts: boolean }): Record<string, string> {
  const headers: Record<string, string> = {};
  const collect = {
    setHeader: (name: string, value: string | number | readonly string[]) => (headers[name.toLowerCase()] = String(value)),
    removeHeader: () => {},
  } as unknown as ServerResponse;
  helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        objectSrc: ["'none'"],
      },
    },
    strictTransportSecurity: options.hsts,
    crossOriginEmbedderPolicy: false,
  })({} as IncomingMessage, collect, (error?: unknown) => {
    if (error) throw error;
  });
  return headers;
}
