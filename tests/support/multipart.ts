/** Multipart bodies as a browser without JavaScript sends them: the form's fields in order, then the file. */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Agent } from './agent.js';

export type Part = { name: string; value: string } | { name: string; filename: string; type: string; data: Buffer };

export function multipartBody(parts: Part[]) {
  const boundary = `----formulaire${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    chunks.push(Buffer.from(`--${boundary}\r\n`));
    if ('value' in p) chunks.push(Buffer.from(`Content-Disposition: form-data; name="${p.name}"\r\n\r\n${p.value}\r\n`));
    else {
      chunks.push(Buffer.from(`Content-Disposition: form-data; name="${p.name}"; filename="${p.filename}"\r\nContent-Type: ${p.type}\r\n\r\n`));
      chunks.push(p.data, Buffer.from('\r\n'));
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** Posts `file` as the form field `field` of the upload form on `page`, with that page's CSRF token first (unless told not to). */
export async function uploadFile(app: FastifyInstance, agent: Agent, page: string, url: string, field: string, file: { filename: string; type: string; data: Buffer }, opts: { csrf?: boolean } = {}) {
  const html = (await agent.get(page)).body;
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
  const { payload, contentType } = multipartBody([...(opts.csrf === false ? [] : [{ name: '_csrf', value: token }]), { name: field, ...file }]);
  return app.inject({ method: 'POST', url, payload, headers: { 'content-type': contentType, cookie: `sid=${agent.cookie('sid')}; csrf=${agent.cookie('csrf')}` } });
}
