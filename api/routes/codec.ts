/**
 * The codec endpoint for the Temporal Web UI and CLI (Temporal's remote codec protocol): `POST /api/codec/decode`
 * and `/encode` take and answer `{"payloads": [{"metadata": {name: base64}, "data": base64}]}`, run through the
 * same codecs as the worker and the API. Histories hold personal data only encrypted; this is how a manager
 * reads it. Managers and admins only.
 *
 * A browser does not send an `Authorization` header it was not told to, so the UI authenticates with a
 * cookie: a manager signs in once at `GET /api/codec/login` with their API key, which the browser then keeps
 * as an HttpOnly, SameSite=Strict cookie sent to `/api/codec` only; the UI sends it when its codec settings
 * "include cross-origin credentials". The cookie holds the key itself, so each request is checked by
 * `authenticate` exactly like a Bearer key, and revoking the key ends the session. Scripts and the CLI send
 * `Authorization: Bearer <key>` instead (`temporal workflow show --codec-endpoint … --codec-auth "Bearer …"`).
 */
import path from 'node:path';
import cors from 'cors';
import { Router, type Request, type RequestHandler } from 'express';
import { z } from 'zod';
import type { Payload, PayloadCodec } from '@temporalio/common';
import type { Db } from '../../db/client';
import type { Config } from '../../lib/config';
import { ROOT_DIR } from '../../lib/root';
import { PayloadDecryptionError } from '../../lib/payload-codec';
import { temporalDataConverter } from '../../lib/temporal';
import { allow, authenticate } from '../auth';
import { HttpError } from '../errors';
import { parseBody } from '../validate';

export const CODEC_COOKIE = 'oms_codec_key';
const COOKIE_PATH = '/api/codec';
const SESSION_MS = 8 * 3_600_000;
/** Static files, not compiled: read from the checkout (or the image's /app), also when running from dist/. */
const LOGIN_PAGE = path.join(ROOT_DIR, 'api', 'codec-login');

/** Proto JSON of Temporal's `Payloads`: every bytes field (metadata values, data) in base64. */
const payloadsSchema = z.object({
  payloads: z.array(
    z.object({
      metadata: z.record(z.string(), z.string()).nullish(),
      data: z.string().nullish(),
    }),
  ),
});
type JsonPayload = z.infer<typeof payloadsSchema>['payloads'][number];

const fromJson = (p: JsonPayload): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
  data: Buffer.from(p.data ?? '', 'base64'),
});

const toJson = (p: Payload): JsonPayload => ({
  metadata: Object.fromEntries(
    Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? []).toString('base64')]),
  ),
  data: Buffer.from(p.data ?? []).toString('base64'),
});

function cookie(req: Request, name: string): string | undefined {
  for (const part of (req.header('cookie') ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

/** The signed-in manager's cookie counts as their Bearer key (an explicit Authorization header wins). */
const keyFromCookie: RequestHandler = (req, _res, next) => {
  const key = cookie(req, CODEC_COOKIE);
  if (!req.header('authorization') && key) req.headers.authorization = `Bearer ${key}`;
  next();
};

export function codecRoutes(db: Db, config: Config): Router {
  const codecs: PayloadCodec[] = temporalDataConverter(config).payloadCodecs ?? [];
  const router = Router();
  const managers = [authenticate(db), allow('payloads.decode')];

  // The UI calls from its own origin, with the cookie: only the configured origins may, and read the answer.
  router.use(
    ['/decode', '/encode'],
    cors({
      origin: config.codecCorsOrigins,
      credentials: true,
      methods: ['POST'],
      allowedHeaders: ['Content-Type', 'X-Namespace', 'Authorization'],
      maxAge: 600,
    }),
  );

  const convert = (direction: 'decode' | 'encode'): RequestHandler[] => [
    keyFromCookie,
    ...managers,
    async (req, res) => {
      const namespace = req.header('x-namespace');
      if (namespace && namespace !== config.temporalNamespace) {
        throw new HttpError(
          400,
          'WRONG_NAMESPACE',
          `This codec serves the namespace "${config.temporalNamespace}", not "${namespace}"`,
        );
      }
      let payloads = parseBody(payloadsSchema, req.body).payloads.map(fromJson);
      try {
        // Encoding runs the codecs in order, decoding in reverse (as the SDK does).
        for (const codec of direction === 'encode' ? codecs : [...codecs].reverse()) {
          payloads = await codec[direction](payloads);
        }
      } catch (err) {
        if (err instanceof PayloadDecryptionError) throw new HttpError(422, 'INVALID_CONTENT', err.message);
        throw err;
      }
      res.json({ payloads: payloads.map(toJson) });
    },
  ];
  router.post('/decode', ...convert('decode'));
  router.post('/encode', ...convert('encode'));

  router.get('/login', (_req, res) => res.sendFile(path.join(LOGIN_PAGE, 'index.html')));
  router.get('/login.js', (_req, res) => res.sendFile(path.join(LOGIN_PAGE, 'login.js')));

  /** Signs a manager in for the UI: `Authorization: Bearer <key>` in, the HttpOnly cookie out. */
  router.post('/session', ...managers, (req, res) => {
    const key = /^Bearer\s+(\S+)$/i.exec(req.header('authorization') ?? '')![1];
    res.cookie(CODEC_COOKIE, key, {
      httpOnly: true,
      sameSite: 'strict',
      secure: req.secure,
      path: COOKIE_PATH,
      maxAge: SESSION_MS,
    });
    res.json({ name: req.actor!.name, role: req.actor!.role, expiresAt: new Date(Date.now() + SESSION_MS) });
  });

  router.delete('/session', (_req, res) => {
    res.clearCookie(CODEC_COOKIE, { path: COOKIE_PATH, httpOnly: true, sameSite: 'strict' });
    res.status(204).end();
  });

  return router;
}
