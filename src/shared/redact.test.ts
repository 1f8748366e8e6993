import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import pino from 'pino';
import { createTestWorld } from '../../tests/support/context.js';
import { redactSecretsInText, redactUrl } from './redact.js';

test('a logged URL keeps its shape but loses the secrets it carries', () => {
  assert.equal(redactUrl('/mot-de-passe-oublie/nouveau?jeton=abcDEF123_-xyz'), '/mot-de-passe-oublie/nouveau?jeton=***');
  assert.equal(redactUrl('/x?a=1&token=zz&_csrf=yy&b=2'), '/x?a=1&token=***&_csrf=***&b=2');
  assert.equal(redactUrl('/villages/32013?tri=nom'), '/villages/32013?tri=nom', 'nothing secret, nothing changed');
  const long = 'Q'.repeat(20) + 'abcdefghij0123456789_-';
  assert.equal(redactUrl(`/confirmer/${long}/ok`), '/confirmer/***/ok', 'a token-like path segment');
  assert.equal(redactUrl('/admin/accueil/6f1c2a4e-0000-4000-8000-000000000000'), '/admin/accueil/6f1c2a4e-0000-4000-8000-000000000000', 'ids are not secrets');
});

test('token links in a mail body are masked, the rest of the text is kept', () => {
  const body = 'Bonjour,\n\nhttp://localhost:3000/inscription/verifier?jeton=S3cr3tT0ken_abc\n\nÀ bientôt';
  assert.equal(redactSecretsInText(body), 'Bonjour,\n\nhttp://localhost:3000/inscription/verifier?jeton=***\n\nÀ bientôt');
});

test('the request log never holds a one-time token, even at debug level where the full URL is written', async () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const log = pino({ level: 'debug' }, sink) as never;
  const { buildApp } = await import('../app.js');
  const w = await createTestWorld();
  try {
    const app = await buildApp({ ...w.ctx, log });
    await app.inject({ url: '/mot-de-passe-oublie/nouveau?jeton=VerySecretToken123456' });
    await app.inject({ url: '/invitation?jeton=AnotherSecret987654' });
    await app.close();
    const text = lines.join('');
    assert.match(text, /jeton=\*\*\*/, 'the incoming URL is logged at debug, redacted');
    assert.match(text, /"route":"\/invitation"/, 'the access line names the route pattern, never the URL');
    assert.ok(!text.includes('VerySecretToken123456'));
    assert.ok(!text.includes('AnotherSecret987654'));
  } finally {
    await w.close();
  }
});
