/**
 * Rendered anonymous pages kept in memory with their gzip and brotli bytes (compressing once costs less than
 * compressing per request). Only pages without forms or personal data go here. Services call `clear()` when
 * public content changes; entries also expire after `ttlMs` so derived figures never stay stale for long.
 */
import { createHash } from 'node:crypto';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

export interface CachedPage {
  etag: string;
  raw: Buffer;
  gzip: Buffer;
  br: Buffer;
  storedAt: number;
}

/**
 * A page's HTML shared by every signed-in visitor, cut where the personal parts of the layout go: `parts`
 * alternates shared HTML (even indices) and the names of the personal parts (odd indices); `deflated` holds each
 * shared piece compressed once (raw deflate ending on a full flush), so a gzip response is assembled per request.
 */
export interface SharedPage {
  parts: readonly string[];
  raw: readonly Buffer[];
  deflated: readonly Buffer[];
  storedAt: number;
  /** When the page stops being right with the same data (ms since the epoch, on the app's clock), if ever. */
  until?: number;
}

const sizeOf = (page: CachedPage) => page.raw.length + page.gzip.length + page.br.length;

/**
 * Bounded by bytes, not entries: a page of the commune map weighs 300 KB, a guide article 20 KB, so a count says
 * nothing about memory. The least recently read pages go first; a page larger than the whole budget is served and
 * not kept. Keys are chosen by the caller from what each page reads (web/render.tsx), so made-up query strings
 * cannot fill it with copies.
 */
export class PageCache {
  private readonly pages = new Map<string, CachedPage>();
  private readonly shared = new Map<string, SharedPage>();
  private static readonly MAX_SHARED = 2000;
  private total = 0;
  constructor(private readonly ttlMs = 5 * 60_000, private readonly maxBytes = 32 * 1024 * 1024) {}

  get(key: string, now = Date.now()): CachedPage | undefined {
    const page = this.pages.get(key);
    if (!page) return undefined;
    this.pages.delete(key);
    if (now - page.storedAt > this.ttlMs) {
      this.total -= sizeOf(page);
      return undefined;
    }
    this.pages.set(key, page); // most recently read last
    return page;
  }

  set(key: string, html: string, now = Date.now()): CachedPage {
    const raw = Buffer.from(html);
    const page: CachedPage = {
      etag: `"${createHash('sha1').update(raw).digest('base64url')}"`,
      raw,
      gzip: gzipSync(raw, { level: 9 }),
      // Brotli's best quality costs ~0.5 s on a 200 KB page (the commune map); a notch lower is 20× faster and
      // only a few percent larger.
      br: brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: raw.length > 64 * 1024 ? 9 : 11 } }),
      storedAt: now,
    };
    const previous = this.pages.get(key);
    if (previous) {
      this.pages.delete(key);
      this.total -= sizeOf(previous);
    }
    const size = sizeOf(page);
    if (size > this.maxBytes) return page;
    while (this.total + size > this.maxBytes) {
      const [oldestKey, oldest] = this.pages.entries().next().value!;
      this.pages.delete(oldestKey);
      this.total -= sizeOf(oldest);
    }
    this.pages.set(key, page);
    this.total += size;
    return page;
  }

  /** The shared HTML of a page for signed-in visitors (same expiry, same clearing as the anonymous pages). */
  getShared(key: string, now = Date.now()): SharedPage | undefined {
    const page = this.shared.get(key);
    if (page && now - page.storedAt > this.ttlMs) {
      this.shared.delete(key);
      return undefined;
    }
    return page;
  }

  setShared(key: string, content: Omit<SharedPage, 'storedAt'>, now = Date.now()): SharedPage {
    if (this.shared.size >= PageCache.MAX_SHARED) this.shared.delete(this.shared.keys().next().value!);
    const page = { ...content, storedAt: now };
    this.shared.set(key, page);
    return page;
  }

  clear() {
    this.pages.clear();
    this.shared.clear();
    this.total = 0;
  }

  get size() {
    return this.pages.size;
  }

  /** Bytes held (each page's raw, gzip and brotli bodies). */
  get bytes() {
    return this.total;
  }
}
