import assert from 'node:assert/strict';
import { test } from 'node:test';
import { modules } from '../../modules.js';
import { catalogue, negotiateLocale, registerCatalogue, translator } from './index.js';

test('each module hands over French and English strings with the same keys', () => {
  for (const m of modules) {
    for (const part of m.catalogues ?? []) assert.deepEqual(Object.keys(part.en).sort(), Object.keys(part.fr).sort(), m.name);
  }
  assert.ok(catalogue.fr['newcomers.nav.settle'], 'the modules\' strings are registered when the module list is imported');
});

test('a key registered by two catalogues with different texts is refused', () => {
  assert.throws(() => registerCatalogue({ fr: { 'site.nav.guide': 'Autre chose' }, en: { 'site.nav.guide': 'Something else' } }), /registered twice/);
  assert.equal(catalogue.fr['site.nav.guide'], 'Guide');
});

test('French and English catalogues have exactly the same keys', () => {
  const fr = Object.keys(catalogue.fr).sort();
  const en = Object.keys(catalogue.en).sort();
  assert.deepEqual(en.filter((k) => !fr.includes(k)), []);
  assert.deepEqual(fr.filter((k) => !en.includes(k)), []);
});

test('every English text uses the same placeholders as its French original', () => {
  const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort().join(',');
  for (const key of Object.keys(catalogue.fr)) assert.equal(placeholders(catalogue.en[key]), placeholders(catalogue.fr[key]), key);
});

test('the language comes from the cookie, then Accept-Language, then French', () => {
  assert.equal(negotiateLocale('en', 'fr-FR'), 'en');
  assert.equal(negotiateLocale(undefined, 'de-DE,en;q=0.8,fr;q=0.5'), 'en');
  assert.equal(negotiateLocale(undefined, 'de-DE'), 'fr');
  assert.equal(negotiateLocale('xx', undefined), 'fr');
});

test('numbers in messages are formatted the French way', () => {
  assert.equal(translator('fr')('audit.count', { count: 12345 }), '12\u202f345 entrée(s)');
});
