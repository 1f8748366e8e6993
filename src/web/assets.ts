/**
 * Static assets (CSS, the small enhancement script, icons) read once at start, fingerprinted and
 * compressed in memory, served with a year-long immutable cache. No CDN, no download at run time.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { rootDir } from '../shared/paths.js';
import { sendCompressed } from './compressed.js';

const publicDir = path.join(rootDir, 'public');

interface Asset {
  type: string;
  raw: Buffer;
  gzip: Buffer;
  br: Buffer;
  etag: string;
}

const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
  '.png': 'image/png',
};

function load(file: string): Asset {
  const raw = readFileSync(path.join(publicDir, file));
  return {
    type: TYPES[path.extname(file)] ?? 'application/octet-stream',
    raw,
    gzip: gzipSync(raw, { level: 9 }),
    br: brotliCompressSync(raw),
    etag: `"${createHash('sha1').update(raw).digest('base64url')}"`,
  };
}

export interface AssetUrls {
  css: string;
  js: string;
}

/** Registers /assets/* (fingerprinted) and a few fixed files; returns the URLs the layout links to. */
export function registerAssets(app: FastifyInstance): AssetUrls {
  const fingerprinted = new Map<string, Asset>();
  const urls: Record<string, string> = {};
  for (const file of ['app.css', 'app.js']) {
    const asset = load(file);
    const hash = asset.etag.slice(1, 11).replace(/[^A-Za-z0-9]/g, 'x');
    const name = file.replace(/\.(\w+)$/, `.${hash}.$1`);
    fingerprinted.set(name, asset);
    urls[file] = `/assets/${name}`;
  }
  app.get('/assets/:name', (request, reply) => {
    const asset = fingerprinted.get((request.params as { name: string }).name);
    if (!asset) return reply.callNotFound();
    reply.header('cache-control', 'public, max-age=31536000, immutable').type(asset.type);
    return sendCompressed(request, reply, asset);
  });
  for (const file of ['favicon.svg', 'robots.txt']) {
    const asset = load(file);
    app.get(`/${file}`, (request, reply) => {
      reply.header('cache-control', 'public, max-age=86400').type(asset.type);
      return sendCompressed(request, reply, asset);
    });
  }
  return { css: urls['app.css'], js: urls['app.js'] };
}
