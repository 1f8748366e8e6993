/**
 * The only reader of process.env. Every variable is validated here and documented in .env.example.
 * Without any variable set, the app runs on one machine: PGlite under ./data, port 3000, mail kept in the outbox.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { z } from 'zod';

const boolish = z
  .enum(['0', '1', 'true', 'false', 'auto', ''])
  .optional()
  .transform((v) => (v === '1' || v === 'true' ? true : v === '0' || v === 'false' ? false : 'auto' as const));

/** An IPv4 or IPv6 address, optionally with a network prefix (`10.0.0.0/8`, `fd00::/8`). */
const isAddressOrNetwork = (value: string) => {
  const [address, prefix, extra] = value.split('/');
  const family = isIP(address);
  if (!family || extra !== undefined) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
};

/**
 * Which proxies may tell the client's address (X-Forwarded-For): none (absent, empty, 0), a number of hops in front
 * of the app, or a list of addresses and networks. "Trust everyone" is not offered: a client could then choose its
 * own address and walk past every rate limit.
 */
const TrustProxy = z
  .string()
  .optional()
  .transform((raw, issue): false | number | string[] => {
    const value = (raw ?? '').trim();
    if (value === '' || value === '0') return false;
    if (/^\d{1,2}$/.test(value)) return Number(value);
    const list = value.split(',').map((part) => part.trim()).filter(Boolean);
    const wrong = list.filter((part) => !isAddressOrNetwork(part));
    if (!list.length || wrong.length) {
      issue.addIssue({
        code: 'custom',
        message: `TRUST_PROXY must be a number of proxies (1) or a list of their addresses or networks (127.0.0.1,10.0.0.0/8); not understood: ${wrong.join(', ') || value}`,
      });
      return z.NEVER;
    }
    return list;
  });

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  BASE_URL: z.url().optional(),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must start with postgres://')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  SESSION_SECRET: z.string().min(32, 'SESSION_SECRET must be at least 32 characters').optional(),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'SMTP_URL must start with smtp:// or smtps://').optional().or(z.literal('').transform(() => undefined)),
  MAIL_FROM: z.string().default('Accueil Gers <accueil@localhost>'),
  TERRITORY: z.string().regex(/^[a-z0-9-]+$/).default('gers'),
  DEMO: boolish,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRUST_PROXY: TrustProxy,
  JOBS: boolish,
  /** An OSRM routing server asked for road times by `npm run import:territory` (optional; estimates otherwise). */
  OSRM_URL: z.url({ protocol: /^https?$/, error: 'OSRM_URL must be an http(s) URL' }).optional().or(z.literal('').transform(() => undefined)),
});

export type DemoMode = boolean | 'auto';

export interface Config {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  baseUrl: string;
  /** true when the public URL is https: cookies get the Secure flag. */
  secureCookies: boolean;
  dataDir: string;
  databaseUrl: string | undefined;
  sessionSecret: string;
  smtpUrl: string | undefined;
  mailFrom: string;
  territory: string;
  demo: DemoMode;
  logLevel: string;
  /** Proxies whose X-Forwarded-For is believed: false (none), a hop count, or addresses and networks (validated). */
  trustProxy: false | number | string[];
  /** Run the background job worker in this process (default yes). */
  jobs: boolean;
  /** Attempts per minute and address on login, sign-up and other public forms. */
  rateLimitPerMinute: number;
  /** Largest case document accepted (bytes); an upload is cut as soon as it goes past. */
  documentMaxBytes: number;
  /** OSRM server for road times at import (`OSRM_URL`); undefined: drive times are estimated. */
  routingUrl: string | undefined;
}

export class ConfigError extends Error {}

/**
 * The variables of a `.env` file (copied from `.env.example`) under those of the environment, which win: a value set
 * by systemd or on the command line is never overridden by a forgotten file. Parsed by Node itself (no dependency).
 */
export function withDotEnv(env: NodeJS.ProcessEnv, file: string): NodeJS.ProcessEnv {
  if (!existsSync(file)) return env;
  return { ...parseEnv(readFileSync(file, 'utf8')), ...env };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  if (env === process.env) {
    // The process's own environment: `.env` in the working folder fills what is not set, for child processes too.
    for (const [key, value] of Object.entries(withDotEnv({}, path.resolve('.env')))) process.env[key] ??= value;
  }
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration: ${lines.join('; ')}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(overrides.dataDir ?? e.DATA_DIR);
  const baseUrl = (e.BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, '');
  const config: Config = {
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    baseUrl,
    secureCookies: baseUrl.startsWith('https://'),
    dataDir,
    databaseUrl: e.DATABASE_URL,
    sessionSecret: e.SESSION_SECRET ?? '',
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    territory: e.TERRITORY,
    demo: e.DEMO,
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY,
    jobs: e.JOBS !== false,
    rateLimitPerMinute: 10,
    documentMaxBytes: 10 * 1024 * 1024,
    routingUrl: e.OSRM_URL,
    ...overrides,
  };
  if (!config.sessionSecret) config.sessionSecret = localSecret(config.dataDir);
  return config;
}

/**
 * A single machine needs no configuration: the secret is generated once and kept in the data folder,
 * never in the repository. Deployments with several processes set SESSION_SECRET.
 */
function localSecret(dataDir: string): string {
  const file = path.join(dataDir, 'session-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret + '\n', { mode: 0o600 });
  return secret;
}

/**
 * The environment for a child process (pg_dump, pg_restore): the parent's, plus what the child needs. Lives
 * here so config.ts stays the only place that touches process.env.
 */
export function childProcessEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, ...extra };
}
