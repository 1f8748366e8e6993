import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { renderToString } from 'preact-render-to-string';
import { slugify } from '../shared/input.js';
import { renderMarkdown, safeHref } from './markdown.js';

const html = (md: string) => renderToString(renderMarkdown(md).body);

/** Every tag name and attribute name in the output: what a browser would actually build. */
function markup(out: string) {
  const tags = new Set<string>();
  const attributes = new Set<string>();
  for (const m of out.matchAll(/<([a-zA-Z][\w-]*)([^>]*)>/g)) {
    tags.add(m[1].toLowerCase());
    for (const a of m[2].matchAll(/\s([^\s=/>]+)(?:=("[^"]*"|'[^']*'|[^\s>]+))?/g)) attributes.add(a[1].toLowerCase());
  }
  return { tags, attributes };
}

const ALLOWED_TAGS = new Set(['div', 'p', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'li', 'blockquote', 'pre', 'code', 'hr', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'strong', 'em', 'del', 'br', 'a', 'img']);
const ALLOWED_ATTRIBUTES = new Set(['class', 'id', 'href', 'title', 'rel', 'src', 'alt', 'loading', 'scope', 'start']);

const HOSTILE = [
  '<script>alert(1)</script>',
  'Texte <script>alert(1)</script> au milieu',
  '<img src=x onerror=alert(1)>',
  '<p onclick="alert(1)">clic</p>',
  '<iframe src="https://example.org"></iframe>',
  '<a href="javascript:alert(1)">lien</a>',
  '[lien](javascript:alert(1))',
  '[lien](JaVaScRiPt:alert(1))',
  '[lien](java\tscript:alert(1))',
  '[lien](&#106;avascript:alert(1))',
  '[lien](javascript&#58;alert(1))',
  '[lien](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '[lien](vbscript:msgbox(1))',
  '[lien](//evil.example/x)',
  '[lien](/\\evil.example)',
  '![image](javascript:alert(1))',
  '![image](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)',
  '![image](https://tracker.example/pixel.gif)',
  '<svg><script>alert(1)</script></svg>',
  '<style>body{display:none}</style>',
  '<div style="background:url(javascript:alert(1))">x</div>',
  '**gras <b onmouseover=alert(1)>x</b>**',
  '<https://example.org" onmouseover="alert(1)>',
  '[x](https://example.org "titre\" onmouseover=\"alert(1)")',
];

describe('markdown rendering is strict', () => {
  for (const md of HOSTILE) {
    test(`hostile input is neutralised: ${JSON.stringify(md).slice(0, 60)}`, () => {
      const out = html(md);
      const { tags, attributes } = markup(out);
      for (const tag of tags) assert.ok(ALLOWED_TAGS.has(tag), `tag <${tag}> is not allowed in ${out}`);
      for (const a of attributes) assert.ok(ALLOWED_ATTRIBUTES.has(a), `attribute ${a} is not allowed in ${out}`);
      assert.doesNotMatch(out, /<script|<iframe|<style|<svg|<b[\s>]/i);
      assert.doesNotMatch(out, /<[^>]*\son\w+\s*=/i, 'no event handler attribute inside a tag');
      for (const m of out.matchAll(/(?:href|src)="([^"]*)"/g)) {
        assert.match(m[1], /^(https?:\/\/[^/\\]|mailto:|tel:|\/(?![/\\])|#)/, `unsafe URL ${m[1]}`);
      }
    });
  }

  test('raw HTML is dropped entirely and counted, not shown as text', () => {
    const r = renderMarkdown('Avant <script>alert("x")</script> après\n\n<div onclick="x()">bloc</div>\n\nFin');
    const out = renderToString(r.body);
    assert.doesNotMatch(out, /script|onclick|alert/);
    assert.match(out, /Avant/);
    assert.match(out, /Fin/);
    assert.ok(r.removed >= 2);
  });

  test('javascript: and data: links keep their text but lose the link', () => {
    const out = html('Voir [ce lien](javascript:alert(1)) et [celui-ci](data:text/html,x).');
    assert.doesNotMatch(out, /<a/);
    assert.doesNotMatch(out, /javascript|data:/);
    assert.match(out, /ce lien/);
  });
});

describe('markdown rendering keeps what authors need', () => {
  test('headings become h2/h3 with anchors and a table of contents, whatever level the author started at', () => {
    const r = renderMarkdown('# Se soigner\n\ntexte\n\n## Médecins & pharmacies\n\n## Médecins & pharmacies\n\n# Urgences');
    const out = renderToString(r.body);
    assert.match(out, /<h2 id="se-soigner">Se soigner<\/h2>/);
    assert.match(out, /<h3 id="medecins-pharmacies">Médecins &amp; pharmacies<\/h3>/);
    assert.match(out, /<h3 id="medecins-pharmacies-2">/);
    assert.deepEqual(
      r.toc.map((e) => [e.id, e.level]),
      [['se-soigner', 2], ['medecins-pharmacies', 3], ['medecins-pharmacies-2', 3], ['urgences', 2]],
    );
  });

  test('links, emphasis, lists, tables and code render as expected', () => {
    const out = html(
      'Un **mot** en *italique*, `code`, [Auch](/villages/32013), [site](https://www.gers.fr), [écrire](mailto:accueil@exemple.fr).\n\n' +
        '- un\n- deux\n\n3. trois\n4. quatre\n\n| Commune | Prix |\n|---|--:|\n| Auch | 1 889 € |\n\n> citation\n\n```\n<b>brut</b>\n```',
    );
    assert.match(out, /<strong>mot<\/strong>/);
    assert.match(out, /<em>italique<\/em>/);
    assert.match(out, /<a href="\/villages\/32013">Auch<\/a>/);
    assert.match(out, /<a href="https:\/\/www.gers.fr" rel="noopener noreferrer">site<\/a>/);
    assert.match(out, /href="mailto:accueil@exemple.fr"/);
    assert.match(out, /<ul><li>un<\/li><li>deux<\/li><\/ul>/);
    assert.match(out, /<ol start="3">/);
    assert.match(out, /<th scope="col">Commune<\/th>/);
    assert.match(out, /<td class="num">1 889 €<\/td>/);
    assert.match(out, /<blockquote>/);
    assert.match(out, /<pre><code>&lt;b>brut&lt;\/b><\/code><\/pre>/);
  });

  test('character references are shown as characters, once', () => {
    assert.match(html('Prix &amp; surfaces, caf&eacute;, 1&#8239;889'), /Prix &amp; surfaces, café, 1\u202f889/);
  });

  test('local images are kept with their alternative text', () => {
    assert.match(html('![Carte du Gers](/assets/carte.png)'), /<img src="\/assets\/carte.png" alt="Carte du Gers" loading="lazy"\/?>/);
  });

  test('safe links are recognised precisely', () => {
    assert.equal(safeHref('https://example.org/a?b=c'), 'https://example.org/a?b=c');
    assert.equal(safeHref('/guide/sante'), '/guide/sante');
    assert.equal(safeHref('#medecins'), '#medecins');
    assert.equal(safeHref('tel:+33562000000'), 'tel:+33562000000');
    for (const bad of ['javascript:x', ' javascript:x', 'jav&#x61;script:x', 'data:,x', '//x.org', '/\\x.org', 'https:x', 'file:///etc/passwd', 'relative/path']) {
      assert.equal(safeHref(bad), null, bad);
    }
  });

  test('slugs are plain ASCII', () => {
    assert.equal(slugify('Se soigner : médecins, pharmacies et urgences'), 'se-soigner-medecins-pharmacies-et-urgences');
    assert.equal(slugify('Œuvres & cœur'), 'oeuvres-coeur');
  });
});

test('an unclosed inline script hides only the rest of its own paragraph', () => {
  const out = html('Début <script>alert(1)\n\nParagraphe suivant');
  assert.doesNotMatch(out, /alert/);
  assert.match(out, /Paragraphe suivant/);
});
