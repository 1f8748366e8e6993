/**
 * Builds the Fastify application: security headers, cookies, forms, language and session resolution, CSRF,
 * error handling, assets and every module's routes and API (src/modules.ts). No listening here: server.ts does that, tests inject.
 */
import fastifyCompress from '@fastify/compress';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import fastifyRateLimit from '@fastify/rate-limit';
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { anonymous, type AppContext } from './context.js';
import { modules, sessions } from './modules.js';
import { AppError } from './shared/app-error.js';
import { redactUrl } from './shared/redact.js';
import { sharedRun } from './shared/shared-run.js';
import { registerAssets } from './web/assets.js';
import { securityHeaders } from './web/security-headers.js';
import { isValidCsrf } from './web/csrf.js';
import { assertNoNulBytes } from './web/forms.js';
import { registerErrorHandling } from './web/errors.js';
import { isLocale, negotiateLocale } from './web/i18n/index.js';
import { collectOpenApi } from './web/openapi.js';
import { setAssetUrls } from './web/render.js';
import './web/request.js';

/** Forms are small; uploads (later) get their own limit per route. */
export const BODY_LIMIT = 256 * 1024;

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route as registered (method, url), so tests can prove each admin route refuses outsiders. */
    routeTable: { method: string; url: string }[];
  }
}

/**
 * The access log: one info line per request once the response is sent (method, route pattern, status, duration;
 * Fastify binds the request id as `reqId`), instead of Fastify's two lines per request that cost nearly half of a
 * cached page's throughput. The incoming request, with its full URL, is written at debug only. The logger writes
 * through an asynchronous destination (bootstrap.ts).
 */
class AccessLog extends LogController {
  override incomingRequest(request: FastifyRequest) {
    request.log.debug({ req: request }, 'incoming request');
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply) {
    const line = { method: request.method, route: request.routeOptions.url ?? '(no route)', status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10 };
    if (error) reply.log.error({ ...line, err: error }, 'request');
    else reply.log.info(line, 'request');
  }
}

/**
 * TRUST_PROXY as Fastify needs it. A hop count becomes "the n nearest addresses are proxies" (Fastify itself
 * ignores a bare number, since a direct client could then choose its address: hence HOST=127.0.0.1 behind the
 * proxy, docs/deploy.md); a list of addresses and networks is checked against each hop.
 */
function trustedProxies(setting: AppContext['config']['trustProxy']) {
  if (setting === false) return false;
  if (typeof setting === 'number') return (_address: string, hop: number) => hop < setting;
  return setting;
}

const requestForLog = (request: { method: string; url: string; ip?: string }) => ({ method: request.method, url: redactUrl(request.url), remoteAddress: request.ip });

export async function buildApp(ctx: AppContext, opts: { logger?: boolean } = {}): Promise<FastifyInstance> {
  const app = Fastify({
    // Request lines name the URL without its secrets (one-time links carry their token in the query).
    loggerInstance: opts.logger === false ? undefined : ctx.log.child({}, { serializers: { req: requestForLog } }),
    bodyLimit: BODY_LIMIT,
    trustProxy: trustedProxies(ctx.config.trustProxy),
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w-]{1,64}$/.test(given) ? given : randomUUID();
    },
    requestIdHeader: false,
    routerOptions: { ignoreTrailingSlash: true },
    logController: new AccessLog(),
  });

  const headers = securityHeaders({ hsts: ctx.config.secureCookies });
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers);
    done();
  });
  app.decorate('secureCookies', ctx.config.secureCookies);
  await app.register(fastifyCookie);
  await app.register(fastifyFormbody);
  await app.register(fastifyCompress, { global: true, threshold: 1024, encodings: ['br', 'gzip'], brotliOptions: { params: { 1: 4 } } });
  await app.register(fastifyRateLimit, {
    global: false,
    errorResponseBuilder: () => new AppError('rate_limited', 'errors.rate_limited.text'),
  });

  app.decorateRequest('actor', null as never);
  app.decorateRequest('user', null);
  app.decorateRequest('locale', 'fr');
  app.decorateRequest('sessionToken', null);

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    request.locale = negotiateLocale(request.cookies.lang, request.headers['accept-language']);
    request.actor = anonymous(ctx.territory.id);
    const token = request.cookies[sessions.cookie];
    if (!token || request.url.startsWith('/assets/') || request.url === '/healthz') return;
    const session = await sessions.resolve(ctx, token, request.headers['user-agent']);
    if (!session) {
      reply.clearCookie(sessions.cookie, { path: '/' });
      return;
    }
    request.user = session.user;
    request.actor = session.actor;
    request.sessionToken = token;
    if (!isLocale(request.cookies.lang)) request.locale = session.user.locale;
  });

  // Before the CSRF check and every handler: a NUL byte anywhere in the input is a 400, never a database error.
  app.addHook('preValidation', async (request) => assertNoNulBytes(request));

  app.addHook('preHandler', async (request) => {
    if (['GET', 'HEAD', 'OPTIONS'].includes(request.method)) return;
    if (request.routeOptions.config?.csrf === false) return;
    if (!isValidCsrf(request, ctx.config.sessionSecret)) throw new AppError('forbidden', 'errors.csrf.text');
  });

  registerErrorHandling(app, ctx);
  app.decorate('routeTable', [] as { method: string; url: string }[]);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) app.routeTable.push({ method, url: route.url });
  });
  const openapi = collectOpenApi(app);
  setAssetUrls(registerAssets(app));

  // Checks arriving together share one round trip (`sharedRun`): on PostgreSQL a burst would otherwise queue for the
  // pool's connections and report the length of that queue, not the database's health; on PGlite, which answers
  // within the same tick, each check of a burst would run its own query on the embedded database's one connection.
  const pingDatabase = sharedRun(async () => {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        ctx.database.ping(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('database timeout')), 2000);
        }),
      ]);
    } finally {
      clearTimeout(timer); // thousands of checks a second must not leave thousands of pending timers
    }
  });
  app.get('/healthz', async (_request, reply) => {
    const started = performance.now();
    try {
      await pingDatabase();
      return reply.header('cache-control', 'no-store').send({ status: 'ok', database: 'ok', ms: Math.round((performance.now() - started) * 10) / 10 });
    } catch (error) {
      ctx.log.error({ err: error }, 'health check failed');
      return reply.code(503).header('cache-control', 'no-store').send({ status: 'error', database: 'unreachable' });
    }
  });
  app.get('/api/openapi.json', async () => openapi());

  for (const m of modules) {
    if (m.routes) await m.routes(app, ctx);
    if (m.api) await app.register(async (api) => m.api!(api, ctx), { prefix: '/api/v1' });
  }
  // Resolved sessions are kept in memory while the database's notifications keep them exact (decision 0033).
  const stopSessions = await sessions.start?.(ctx);
  if (stopSessions) app.addHook('onClose', stopSessions);
  return app;
}
