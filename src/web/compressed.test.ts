import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { deflatePiece, joinGzip, storedPiece } from './compressed.js';

test('a gzip body joined from pieces compressed apart or stored decodes to the pieces in order', () => {
  const texts = [Buffer.from('<html><body>'.repeat(500)), Buffer.from('<nav>Mon compte – é</nav>'), Buffer.alloc(0), randomBytes(70_000), Buffer.from('</body></html>')];
  const pieces = texts.map((raw, i) => ({ raw, deflated: i % 2 ? storedPiece(raw) : deflatePiece(raw) }));
  assert.deepEqual(gunzipSync(joinGzip(pieces)), Buffer.concat(texts));
  assert.equal(gunzipSync(joinGzip([])).length, 0);
});
