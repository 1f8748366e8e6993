/**
 * The baseline of the benchmark: a bare node:http server, in its own process like the app, answering each
 * path with the exact status, headers and bytes the app sent for it. Whatever the app does beyond this costs
 * throughput; the ratio app/bare says how much.
 *
 *   node --import tsx tests/bench/bare-server.ts RESPONSES.json PORT
 */
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';

interface Recorded {
  status: number;
  headers: Record<string, string>;
  body: string; // base64
}

const [file, port] = process.argv.slice(2);
const recorded = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Recorded>;
const responses = new Map(Object.entries(recorded).map(([p, r]) => [p, { ...r, bytes: Buffer.from(r.body, 'base64') }]));

createServer((req, res) => {
  const r = responses.get(req.url ?? '');
  if (!r) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(r.status, { ...r.headers, 'content-length': r.bytes.length });
  res.end(r.bytes);
}).listen(Number(port), '127.0.0.1');
