/**
 * What the API does with odd requests before any route's work, on the app itself with a real database: malformed
 * paths and ids are 400 (not 500), a protected route refuses an unauthenticated body without reading it, and public
 * routes take only small bodies, refused (413) from their declared length.
 */
import http from 'node:http';
import { createApiKey } from '../../access/key-store';
import { requestFrom, startTestApp, type TestApp } from '../support/app';
import { matching } from '../support/matchers';

let app: TestApp;
let adminKey: string;

beforeAll(async () => {
  app = await startTestApp();
  adminKey = (await createApiKey(app.db, { name: 'Admin', role: 'admin' })).key;
}, 60_000);
afterAll(() => app?.close());

const asAdmin = (method: string, route: string, body?: unknown) =>
  requestFrom(app, '127.0.0.1', method, route, {
    key: adminKey,
    body: body === undefined ? undefined : JSON.stringify(body),
  });

describe('malformed paths and ids: 400 in the error shape, never 500', () => {
  test.each([
    ['GET', '/api/orders/%ff'],
    ['GET', '/api/orders/%E0%A4%A/pick-list'],
    ['GET', '/api/returns/%ff'],
    ['GET', '/api/transfers/%c0'],
    ['GET', '/api/inventory/levels/%ff/WH-SH'],
    ['GET', '/api/serials/%'],
  ])('%s %s: BAD_PATH', async (method, route) => {
    const answer = await asAdmin(method, route);
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ code: 'BAD_PATH', details: null });
  });

  const badIds = ['1e400', '1.5', '-1', '0', '007', '99999999999999999999', '2147483648', 'abc', '0x10'];
  test.each(badIds)('id %s: INVALID_ID on every route with a numeric id', async (id) => {
    for (const [method, route, body] of [
      ['DELETE', `/api/admin/keys/${id}`],
      ['DELETE', `/api/customers/blocked/${id}`],
      ['POST', `/api/admin/sessions/${id}/revoke`, {}],
      ['POST', `/api/orders/SO-20260101-000001/shipments/${id}/resolve`, { action: 'RESHIP' }],
    ] as const) {
      const answer = await asAdmin(method, route, body);
      expect({ route, status: answer.status }).toEqual({ route, status: 400 });
      expect(answer.body.error).toMatchObject({ code: 'INVALID_ID', details: { param: matching.any(String) } });
    }
  });

  test('a plain id that names no row is still 404', async () => {
    expect((await asAdmin('DELETE', '/api/admin/keys/2147483647')).body.error?.code).toBe('KEY_NOT_FOUND');
    expect((await asAdmin('DELETE', '/api/customers/blocked/42')).status).toBe(404);
    expect((await asAdmin('POST', '/api/admin/sessions/42/revoke', {})).body.error?.code).toBe('SESSION_NOT_FOUND');
  });
});

/**
 * Sends a body of `size` bytes in 64 KB pieces, as fast as the connection takes them; answers with how much of it
 * the server had read (its side of the connection) once the answer was in and the connection had closed.
 */
function upload(route: string, size: number, headers: Record<string, string>) {
  const before = app.bytesRead();
  return new Promise<{ status: number; code?: string; serverRead: number; closed: boolean }>((resolve, reject) => {
    let answer: { status: number; code?: string; closed: boolean } | undefined;
    const request = http.request(new URL(route, app.url), { method: 'POST', headers, agent: false }, (r) => {
      let text = '';
      r.setEncoding('utf8');
      r.on('data', (chunk: string) => (text += chunk));
      r.on('end', () => {
        const code = (JSON.parse(text) as { error?: { code: string } }).error?.code;
        answer = { status: r.statusCode!, code, closed: r.headers.connection === 'close' };
      });
    });
    // The server closing the connection while we still write is what we want, once the answer is in.
    request.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE' && err.code !== 'ECONNRESET') reject(err);
    });
    request.on('close', () => {
      if (!answer) return reject(new Error('no answer'));
      // The server's socket closes a moment after ours.
      setTimeout(() => resolve({ ...answer!, serverRead: app.bytesRead() - before }), 100);
    });
    const piece = Buffer.alloc(64 * 1024, ' ');
    let sent = 0;
    const pump = () => {
      while (sent < size && !request.destroyed) {
        sent += piece.length;
        if (!request.write(piece)) return void request.once('drain', pump);
      }
      request.end();
    };
    pump();
  });
}

const FIVE_MB = 5 * 1024 * 1024;

describe('bodies', () => {
  test('a protected route refuses 5 MB without a key before reading it, and closes the connection', async () => {
    const started = Date.now();
    const answer = await upload('/api/products', FIVE_MB, {
      'content-type': 'application/json',
      'content-length': String(FIVE_MB),
    });
    expect(answer).toMatchObject({ status: 401, code: 'UNAUTHENTICATED', closed: true });
    expect(answer.serverRead).toBeLessThan(FIVE_MB / 10);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  test.each([
    ['/api/session', 'signing in'],
    ['/api/carriers/local/events', 'the carrier webhook'],
  ])('%s (%s) refuses 5 MB at once from its declared length: 413', async (route) => {
    const answer = await upload(route, FIVE_MB, {
      'content-type': 'application/json',
      'content-length': String(FIVE_MB),
    });
    expect(answer).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE', closed: true });
    expect(answer.serverRead).toBeLessThan(FIVE_MB / 10);
  });

  test('a public route takes 16 KB at most, and no chunked body, nor CSV', async () => {
    const json = (size: number) => JSON.stringify({ key: 'k'.repeat(size) });
    const signIn = (body: string, headers: Record<string, string> = {}) =>
      requestFrom(app, '127.0.0.9', 'POST', '/api/session', { body, headers });
    expect((await signIn(json(16 * 1024))).body.error?.code).toBe('PAYLOAD_TOO_LARGE');
    // Within the limit the key is looked at (and refused: too long for a key).
    expect((await signIn(json(15 * 1024))).body.error?.code).toBe('VALIDATION_FAILED');
    expect((await signIn(json(10), { 'transfer-encoding': 'chunked' })).body.error?.code).toBe('LENGTH_REQUIRED');
    const csv = await signIn('sku,name\n', { 'content-type': 'text/csv' });
    expect(csv).toMatchObject({ status: 415, body: { error: { code: 'UNSUPPORTED_MEDIA_TYPE' } } });
  });

  test('the codec reads its body only once the caller is known', async () => {
    const answer = await upload('/api/codec/decode', FIVE_MB, {
      'content-type': 'application/json',
      'content-length': String(FIVE_MB),
    });
    expect(answer).toMatchObject({ status: 401, closed: true });
    expect(answer.serverRead).toBeLessThan(FIVE_MB / 10);
  });
});
