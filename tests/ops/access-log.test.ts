import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, beforeEach, test } from 'node:test';
import pino from 'pino';
import type { AppContext } from '../../src/context.js';
import { createTestWorld, type TestWorld } from '../support/context.js';

let w: TestWorld;
const lines: Record<string, unknown>[] = [];
const sink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    for (const line of chunk.toString().split('\n')) if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
    done();
  },
});
const log = pino({ level: 'debug', redact: ['req.headers.cookie', 'req.headers.authorization'] }, sink);

before(async () => {
  w = await createTestWorld({}, { log: log as unknown as AppContext['log'] });
});
after(() => w.close());
beforeEach(() => {
  lines.length = 0;
});

test('each request writes one info line after its response: method, route pattern, status, duration and request id', async () => {
  const res = await w.app.inject({ url: '/villages/32013?x=1', headers: { cookie: 'sid=secret-session-token', 'x-request-id': 'req-abc-123' } });
  assert.equal(res.statusCode, 200);
  await new Promise((resolve) => setImmediate(resolve));
  const info = lines.filter((l) => (l.level as number) >= 30);
  assert.equal(info.length, 1, JSON.stringify(info));
  const [line] = info;
  assert.equal(line.msg, 'request');
  assert.equal(line.reqId, 'req-abc-123');
  assert.equal(line.method, 'GET');
  assert.equal(line.route, '/villages/:insee', 'the pattern, not the URL with its query');
  assert.equal(line.status, 200);
  assert.equal(typeof line.ms, 'number');
  // The rest is at debug, and the cookie never reaches the log.
  assert.ok(lines.some((l) => l.level === 20 && l.msg === 'incoming request' && l.reqId === 'req-abc-123'));
  assert.ok(!JSON.stringify(lines).includes('secret-session-token'));

  const missing = await w.app.inject('/nulle-part');
  assert.equal(missing.statusCode, 404);
  await new Promise((resolve) => setImmediate(resolve));
  const last = lines.filter((l) => l.msg === 'request').at(-1)!;
  assert.equal(last.status, 404);
  assert.equal(last.reqId, missing.headers['x-request-id']);
});
