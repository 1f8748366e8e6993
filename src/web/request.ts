/** What the app attaches to each request: who is acting, in which language, and the page helpers. */
import type { Actor } from '../context.js';
import type { Locale } from './i18n/index.js';
import type { PageUser } from './page-context.js';

export interface SessionUser extends PageUser {
  id: string;
  locale: Locale;
  emailVerified: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The site is served over https (BASE_URL): cookies get Secure, the CSRF cookie the `__Host-` prefix. */
    secureCookies: boolean;
  }
  interface FastifyRequest {
    actor: Actor;
    user: SessionUser | null;
    locale: Locale;
    /** The raw session token from the cookie, when a valid session was found. */
    sessionToken: string | null;
  }
  interface FastifyContextConfig {
    /** false to skip the CSRF check (JSON API with its own authentication). */
    csrf?: boolean;
    /** OpenAPI description of an /api route (see web/openapi.ts). */
    openapi?: import('./openapi.js').OpenApiRoute;
  }
}
