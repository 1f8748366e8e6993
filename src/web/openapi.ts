/**
 * The OpenAPI 3.1 document, generated from the routes themselves: each /api route declares `config.openapi`
 * with Zod schemas for its query and response; handlers parse with the same schemas, so the document cannot
 * drift from what the code accepts.
 */
import type { FastifyInstance, RouteOptions } from 'fastify';
import { z } from 'zod';

export interface OpenApiRoute {
  summary: string;
  tags?: string[];
  params?: z.ZodObject;
  query?: z.ZodObject;
  response?: z.ZodType;
  /** Needs a signed-in session (cookie). */
  auth?: boolean;
}

interface Collected {
  method: string;
  url: string;
  spec: OpenApiRoute;
}

const problemSchema = {
  type: 'object',
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    code: { type: 'string' },
    errors: { type: 'object', additionalProperties: { type: 'string' } },
  },
  required: ['title', 'status'],
};

export function collectOpenApi(app: FastifyInstance): () => Record<string, unknown> {
  const routes: Collected[] = [];
  app.addHook('onRoute', (route: RouteOptions) => {
    const spec = route.config?.openapi;
    if (!spec) return;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) if (method !== 'HEAD') routes.push({ method: method.toLowerCase(), url: route.url, spec });
  });
  let cached: Record<string, unknown> | null = null;
  return () => (cached ??= build(routes));
}

function toSchema(t: z.ZodType) {
  return z.toJSONSchema(t, { target: 'draft-2020-12', io: 'output', unrepresentable: 'any' });
}

function parameters(obj: z.ZodObject | undefined, where: 'query' | 'path') {
  if (!obj) return [];
  const json = z.toJSONSchema(obj, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, schema]) => ({
    name,
    in: where,
    required: where === 'path' || (json.required ?? []).includes(name),
    schema,
  }));
}

function build(routes: Collected[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const { method, url, spec } of routes) {
    const path = url.replace(/:(\w+)/g, '{$1}');
    paths[path] ??= {};
    paths[path][method] = {
      summary: spec.summary,
      tags: spec.tags,
      parameters: [...parameters(spec.params, 'path'), ...parameters(spec.query, 'query')],
      security: spec.auth ? [{ session: [] }] : [],
      responses: {
        '200': {
          description: 'OK',
          content: { 'application/json': { schema: spec.response ? toSchema(spec.response) : {} } },
        },
        default: { description: 'Problem', content: { 'application/problem+json': { schema: problemSchema } } },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'API de la plateforme d’accueil d’actifs',
      version: '1',
      description: 'Public JSON API. Errors follow RFC 9457 (application/problem+json).',
    },
    servers: [{ url: '/' }],
    components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'sid' } } },
    paths,
  };
}
