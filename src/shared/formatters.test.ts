import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dateTimeFormat, numberFormat } from './formatters.js';

test('a formatter is built once per locale and options, and formats like a new one', () => {
  const a = numberFormat('fr-FR', { maximumFractionDigits: 1 });
  assert.equal(numberFormat('fr-FR', { maximumFractionDigits: 1 }), a);
  assert.notEqual(numberFormat('en-GB', { maximumFractionDigits: 1 }), a);
  assert.notEqual(numberFormat('fr-FR', { maximumFractionDigits: 0 }), a);
  assert.equal(a.format(12345.67), new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 }).format(12345.67));
  const d = dateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'Europe/Paris' });
  assert.equal(dateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'Europe/Paris' }), d);
  assert.notEqual(dateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'UTC' }), d);
  const at = new Date('2026-03-29T23:30:00Z');
  assert.equal(d.format(at), '30 mars 2026');
  assert.equal(dateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'UTC' }).format(at), '29 mars 2026');
});
