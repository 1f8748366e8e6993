import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pdfString, textPdf, winAnsiByte } from './dues.pdf.js';

test('the PDF has its header, a cross-reference table whose offsets point at each object, and its trailer', () => {
  const pdf = textPdf([{ text: 'Reçu n° 2026-0001', size: 16, bold: true }, { text: 'Montant : 25 €' }], { title: 'Reçu 2026-0001' });
  const text = pdf.toString('latin1');
  assert.ok(text.startsWith('%PDF-1.4\n'));
  assert.ok(text.trimEnd().endsWith('%%EOF'));
  const startxref = Number(/startxref\n(\d+)\n%%EOF\s*$/.exec(text)![1]);
  assert.equal(text.slice(startxref, startxref + 4), 'xref');
  const [, first, count] = /^xref\n(\d+) (\d+)\n/.exec(text.slice(startxref))!;
  assert.equal(Number(first), 0);
  assert.equal(Number(count), 8);
  const entries = text.slice(startxref).split('\n').slice(2, 2 + Number(count));
  assert.equal(entries[0], '0000000000 65535 f ');
  for (let i = 1; i < entries.length; i++) {
    const offset = Number(entries[i].slice(0, 10));
    assert.equal(text.slice(offset, offset + `${i} 0 obj`.length), `${i} 0 obj`, `object ${i} is at its offset`);
  }
  // The content stream's declared length is its exact length.
  const m = /<< \/Length (\d+) >>\nstream\n/.exec(text)!;
  const start = m.index + m[0].length;
  assert.equal(text.slice(start + Number(m[1]), start + Number(m[1]) + '\nendstream'.length), '\nendstream');
  assert.ok(text.includes('(Re\\347u n\\260 2026-0001)'), 'the number, with ç and ° in WinAnsi');
  assert.ok(text.includes('25 \\200)'), 'the euro sign is WinAnsi 0x80');
  assert.ok(text.includes('/Encoding /WinAnsiEncoding'));
});

test('text is escaped: parentheses, backslashes, French spaces, characters WinAnsi lacks', () => {
  assert.equal(pdfString('a (b) \\ c'), '(a \\(b\\) \\\\ c)');
  assert.equal(pdfString('1\u202f000'), '(1\\240000)');
  assert.equal(pdfString('l’été'), '(l\\222\\351t\\351)');
  assert.equal(winAnsiByte('中'), 0x3f);
  assert.equal(pdfString('Œuvre'), '(\\214uvre)');
});
