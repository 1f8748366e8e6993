/**
 * Markdown written by staff (guide articles, third-place descriptions), rendered on the server.
 *
 * Safety comes from the shape of the pipeline, not from cleaning HTML afterwards: marked's lexer only turns the
 * text into tokens, and this file turns an allow-list of tokens into Preact elements, which escape every text and
 * attribute. Nothing is ever emitted as raw HTML: HTML written in the Markdown is dropped, links keep only the
 * http(s), mailto and tel schemes or a local path, images only a local path, and no attribute comes from the
 * author except href, src, alt and title (escaped). Headings get stable anchors and feed the table of contents.
 */
import { Lexer, type Token, type Tokens } from 'marked';
import { slugify } from '../shared/input.js';
import type { ComponentChildren, VNode } from 'preact';
import { Table } from './components/table.js';

export interface TocEntry {
  id: string;
  text: string;
  level: number;
}

export interface RenderedMarkdown {
  body: VNode;
  /** Level-2 and level-3 headings, in order, for a table of contents. */
  toc: TocEntry[];
  /** How many pieces of raw HTML and unsafe links or images were left out (the editor's preview says so). */
  removed: number;
}

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', eacute: 'é', egrave: 'è', ecirc: 'ê', agrave: 'à',
  acirc: 'â', ccedil: 'ç', ocirc: 'ô', ucirc: 'û', ugrave: 'ù', icirc: 'î', iuml: 'ï', euml: 'ë', oelig: 'œ', hellip: '…',
  laquo: '«', raquo: '»', rsquo: '’', lsquo: '‘', ldquo: '“', rdquo: '”', ndash: '–', mdash: '—', euro: '€', copy: '©',
  deg: '°', times: '×', middot: '·', shy: '',
};

/** Turns character references back into characters; Preact escapes the result again on output. */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,8});/gi, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : '\ufffd';
    }
    return NAMED_ENTITIES[ref.toLowerCase()] ?? whole;
  });
}

const SAFE_SCHEMES = new Set(['http', 'https', 'mailto', 'tel']);

/**
 * The link targets an article may use: web and mail addresses, phone numbers, a path on this site or an anchor.
 * Everything else (javascript:, data:, vbscript:, protocol-relative //host, odd relative forms) returns null.
 */
export function safeHref(raw: string): string | null {
  // Browsers ignore control characters and whitespace inside a scheme ("java\tscript:"): strip them first.
  // eslint-disable-next-line no-control-regex
  const href = decodeEntities(raw).replace(/[\u0000-\u0020\u007f-\u009f\u00ad\u200b-\u200f\u2028\u2029\ufeff]/g, '');
  if (!href) return null;
  if (href[0] === '#') return /^#[\w-]{0,100}$/.test(href) ? href : null;
  if (href[0] === '/') return /^\/(?![/\\])/.test(href) && !href.includes('\\') ? href : null;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(href);
  if (!scheme || !SAFE_SCHEMES.has(scheme[1].toLowerCase())) return null;
  if (/^https?:/i.test(href) && !/^https?:\/\/[^/\\\s]/i.test(href)) return null;
  return href;
}

/** Images come only from this site (the content security policy would block others anyway). */
export function safeImageSrc(raw: string): string | null {
  const href = safeHref(raw);
  return href && href[0] === '/' ? href : null;
}

/** Ids the page around the article already uses (skip link, form fields and their messages). */
const RESERVED_ID = /^(contenu|sommaire|erreurs|apercu|(f|e|h)-.*)$/;

class Renderer {
  toc: TocEntry[] = [];
  removed = 0;
  private ids = new Set<string>();
  private levels = new Map<number, number>();
  private key = 0;

  constructor(tokens: Token[]) {
    // Markdown heading depths are made relative: the shallowest becomes h2 (the page's h1 is the title),
    // and no heading skips a level, so the outline stays valid whatever the author typed.
    let previous = 1;
    const depths = [...new Set(collectHeadings(tokens).map((h) => h.depth))].sort((a, b) => a - b);
    for (const depth of depths) {
      const level = Math.min(previous + 1, 6);
      this.levels.set(depth, level);
      previous = level;
    }
  }

  private k() {
    return this.key++;
  }

  private anchor(text: string) {
    let base = slugify(text) || 'section';
    if (RESERVED_ID.test(base)) base = `section-${base}`;
    let id = base;
    for (let n = 2; this.ids.has(id); n++) id = `${base}-${n}`;
    this.ids.add(id);
    return id;
  }

  blocks(tokens: Token[]): ComponentChildren[] {
    return tokens.map((t) => this.block(t));
  }

  block(token: Token): ComponentChildren {
    const t = token as Tokens.Generic;
    this.skipping = null; // an unclosed inline <script> hides the rest of its paragraph, never more
    switch (token.type) {
      case 'space':
      case 'def':
        return null;
      case 'html':
        this.removed += 1;
        return null;
      case 'heading': {
        const h = token as Tokens.Heading;
        const level = this.levels.get(h.depth) ?? 2;
        const text = plainText(h.tokens).trim();
        const id = this.anchor(text);
        if (level <= 3) this.toc.push({ id, text, level });
        const Tag = `h${level}` as 'h2';
        return (
          <Tag key={this.k()} id={id}>
            {this.inline(h.tokens)}
          </Tag>
        );
      }
      case 'paragraph':
        return <p key={this.k()}>{this.inline((token as Tokens.Paragraph).tokens)}</p>;
      case 'text': {
        const x = token as Tokens.Text;
        return x.tokens ? this.inline(x.tokens) : decodeEntities(x.text);
      }
      case 'blockquote':
        return <blockquote key={this.k()}>{this.blocks((token as Tokens.Blockquote).tokens)}</blockquote>;
      case 'code':
        return (
          <pre key={this.k()}>
            <code>{(token as Tokens.Code).text}</code>
          </pre>
        );
      case 'hr':
        return <hr key={this.k()} />;
      case 'list': {
        const list = token as Tokens.List;
        const items = list.items.map((item) => (
          <li key={this.k()}>
            {item.task && !item.tokens.some((x) => x.type === 'checkbox') && (item.checked ? '☑ ' : '☐ ')}
            {this.blocks(item.tokens)}
          </li>
        ));
        if (list.ordered) {
          const start = typeof list.start === 'number' && list.start !== 1 ? list.start : undefined;
          return (
            <ol key={this.k()} start={start}>
              {items}
            </ol>
          );
        }
        return <ul key={this.k()}>{items}</ul>;
      }
      case 'checkbox':
        return (t as unknown as { checked: boolean }).checked ? '☑ ' : '☐ ';
      case 'table': {
        const table = token as Tokens.Table;
        const align = (a: string | null) => (a === 'right' ? 'end' : a === 'center' ? 'center' : undefined);
        // Cells are turned into markup here, in reading order: inline() keeps state from one cell to the next.
        const header = table.header.map((cell) => this.inline(cell.tokens));
        const rows = table.rows.map((row) => row.map((cell) => this.inline(cell.tokens)));
        return (
          <Table
            key={this.k()}
            rows={rows}
            rowKey={(_, r) => r}
            columns={header.map((content, i) => ({ key: String(i), header: content, align: align(table.align[i]), render: (row: ComponentChildren[][]) => row[i] }))}
          />
        );
      }
      default:
        // A token type this renderer does not know is shown as its text, never as markup.
        return typeof t.text === 'string' ? <p key={this.k()}>{decodeEntities(t.text)}</p> : null;
    }
  }

  /** Inside an inline <script> or <style> written in the text, its content is dropped with the tags. */
  private skipping: string | null = null;

  inline(tokens: Token[] | undefined): ComponentChildren[] {
    return (tokens ?? []).map((token) => {
      if (token.type === 'html') {
        this.removed += 1;
        const raw = (token as Tokens.HTML).text;
        const open = /^<(script|style|iframe|object|embed|noscript|template|textarea|title|xmp|svg|math)\b/i.exec(raw);
        const close = this.skipping && new RegExp(`^</${this.skipping}\\s*>`, 'i').test(raw);
        if (close) this.skipping = null;
        else if (open && !/\/>$/.test(raw)) this.skipping = open[1].toLowerCase();
        return null;
      }
      if (this.skipping) return null;
      switch (token.type) {
        case 'text': {
          const x = token as Tokens.Text;
          return x.tokens ? this.inline(x.tokens) : decodeEntities(x.text);
        }
        case 'escape':
          return (token as Tokens.Escape).text;
        case 'strong':
          return <strong key={this.k()}>{this.inline((token as Tokens.Strong).tokens)}</strong>;
        case 'em':
          return <em key={this.k()}>{this.inline((token as Tokens.Em).tokens)}</em>;
        case 'del':
          return <del key={this.k()}>{this.inline((token as Tokens.Del).tokens)}</del>;
        case 'codespan':
          return <code key={this.k()}>{(token as Tokens.Codespan).text}</code>;
        case 'br':
          return <br key={this.k()} />;
        case 'link': {
          const link = token as Tokens.Link;
          const href = safeHref(link.href);
          const children = this.inline(link.tokens);
          if (!href) {
            this.removed += 1;
            return children;
          }
          const external = /^https?:/i.test(href);
          return (
            <a key={this.k()} href={href} title={link.title ? decodeEntities(link.title) : undefined} rel={external ? 'noopener noreferrer' : undefined}>
              {children}
            </a>
          );
        }
        case 'image': {
          const image = token as Tokens.Image;
          const src = safeImageSrc(image.href);
          const alt = decodeEntities(image.text);
          if (!src) {
            this.removed += 1;
            return alt;
          }
          return <img key={this.k()} src={src} alt={alt} title={image.title ? decodeEntities(image.title) : undefined} loading="lazy" />;
        }
        case 'checkbox':
          return (token as unknown as { checked: boolean }).checked ? '☑ ' : '☐ ';
        default: {
          const x = token as Tokens.Generic;
          return typeof x.text === 'string' ? decodeEntities(x.text) : null;
        }
      }
    });
  }
}

function collectHeadings(tokens: Token[], out: Tokens.Heading[] = []): Tokens.Heading[] {
  for (const t of tokens) {
    if (t.type === 'heading') out.push(t as Tokens.Heading);
    else if (t.type === 'blockquote') collectHeadings((t as Tokens.Blockquote).tokens, out);
  }
  return out;
}

/** The visible text of inline tokens (for anchors, the table of contents and search snippets). */
export function plainText(tokens: Token[] | undefined): string {
  return (tokens ?? [])
    .map((t) => {
      if (t.type === 'html') return '';
      const x = t as Tokens.Generic;
      if (Array.isArray(x.tokens)) return plainText(x.tokens as Token[]);
      return typeof x.text === 'string' ? decodeEntities(x.text) : '';
    })
    .join('');
}

export function renderMarkdown(source: string): RenderedMarkdown {
  const tokens = new Lexer({ gfm: true, breaks: false }).lex(source.replace(/\r\n?/g, '\n'));
  const r = new Renderer(tokens);
  const children = r.blocks(tokens);
  return { body: <div class="prose">{children}</div>, toc: r.toc, removed: r.removed };
}
