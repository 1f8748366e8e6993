/**
 * Security headers on every kind of page (public, form, signed-in, error): a Content-Security-Policy that
 * forbids inline scripts and framing, no inline <script> in the HTML (the CSP would block it anyway, so one
 * would be a silently broken feature), and the usual hardening headers.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Agent } from '../support/agent.js';
import { createTestWorld, type TestWorld } from '../support/context.js';
import { createUser } from '../support/factories.js';

let w: TestWorld;
before(async () => {
  w = await createTestWorld();
  await w.reset();
});
after(() => w.close());

function directives(csp: string) {
  const map = new Map<string, string[]>();
  for (const part of csp.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) map.set(name.toLowerCase(), values);
  }
  return map;
}

/** Pages of every kind an anonymous visitor and an admin reach. */
async function samplePages() {
  const admin = await createUser(w.ctx, { roles: ['admin', 'staff'] });
  const anonymous = new Agent(w.app);
  const signedIn = new Agent(w.app);
  await signedIn.login(admin.email, admin.password);
  return [
    ['/', await anonymous.get('/')],
    ['/inscription', await anonymous.get('/inscription')],
    ['/inscription with errors', await anonymous.post('/inscription', { email: 'pas-une-adresse' })],
    ['/connexion', await anonymous.get('/connexion')],
    ['/page-inconnue', await anonymous.get('/page-inconnue')],
    ['/compte', await signedIn.get('/compte')],
    ['/admin', await signedIn.get('/admin')],
    ['/admin/utilisateurs', await signedIn.get('/admin/utilisateurs')],
  ] as const;
}

test('the Content-Security-Policy forbids inline scripts, foreign scripts and framing', async () => {
  const res = await w.app.inject({ url: '/' });
  const csp = String(res.headers['content-security-policy'] ?? '');
  assert.ok(csp, 'a CSP header is sent');
  const d = directives(csp);
  const scriptSrc = d.get('script-src') ?? d.get('default-src');
  assert.ok(scriptSrc, 'script-src (or default-src) is set');
  assert.deepEqual(
    scriptSrc.filter((v) => !["'self'"].includes(v) && !v.startsWith("'nonce-") && !v.startsWith("'sha")),
    [],
    `script-src allows only this origin: ${scriptSrc.join(' ')}`,
  );
  assert.ok(!scriptSrc.includes("'unsafe-inline'") && !scriptSrc.includes("'unsafe-eval'"));
  assert.deepEqual(d.get('frame-ancestors'), ["'none'"]);
  assert.deepEqual(d.get('object-src'), ["'none'"]);
  assert.ok(d.has('base-uri'), 'base-uri is restricted');
  assert.ok(d.has('form-action'), 'form-action is restricted');
});

test('every kind of page carries the hardening headers and no inline script', async () => {
  for (const [label, res] of await samplePages()) {
    assert.match(String(res.headers['content-type']), /text\/html/, `${label} is HTML`);
    assert.equal(res.headers['x-content-type-options'], 'nosniff', `${label}: X-Content-Type-Options`);
    assert.ok(res.headers['referrer-policy'], `${label}: Referrer-Policy`);
    assert.match(String(res.headers['referrer-policy']), /no-referrer|same-origin|strict-origin/, `${label}: a referrer policy that keeps paths private`);
    assert.match(String(res.headers['content-security-policy']), /frame-ancestors 'none'/, `${label}: frame-ancestors`);
    const scripts = [...res.body.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    for (const [, attrs, body] of scripts) {
      if (/type=["']application\/(ld\+)?json["']/.test(attrs)) continue; // data, never executed
      assert.match(attrs, /\bsrc=/, `${label}: every <script> has a src`);
      assert.equal(body.trim(), '', `${label}: no inline script body`);
    }
    assert.doesNotMatch(res.body, /\son[a-z]+\s*=\s*["']/i, `${label}: no inline event handler attribute`);
    assert.doesNotMatch(res.body, /href\s*=\s*["']\s*javascript:/i, `${label}: no javascript: link`);
  }
});

test('signed-in and form pages are never stored by shared caches', async () => {
  for (const [label, res] of await samplePages()) {
    if (label === '/' || label === '/page-inconnue') continue;
    assert.match(String(res.headers['cache-control']), /no-store|private/, `${label}: cache-control`);
  }
});
