/**
 * The codec endpoint for the Temporal Web UI and CLI (Temporal's remote codec protocol): `POST /api/codec/decode`
 * and `/encode` take and answer `{"payloads": [{"metadata": {name: base64}, "data": base64}]}`. Decode runs the
 * same codecs as the worker and the API: histories hold personal data only encrypted; this is how a manager reads
 * it. Encode answers the payloads unencrypted: what the UI would send to a workflow is then refused by the worker,
 * so the endpoint is no way to make a payload the worker trusts (workflows/sealed.ts). Managers and admins only.
 *
 * A browser does not send an `Authorization` header it was not told to, so the UI authenticates with the
 * sign-in session's cookie (api/routes/sessions.ts): a manager signs in once at `GET /api/codec/login`, which
 * signs in through `POST /api/session` like any console; the UI sends the cookie when its codec settings "include
 * cross-origin credentials" (the cookie is SameSite=Strict: the UI must be on the same site as the API, e.g.
 * 127.0.0.1:8233 and 127.0.0.1:3000). Scripts and the CLI send `Authorization: Bearer <key>` instead
 * (`temporal workflow show --codec-endpoint … --codec-auth "Bearer …"`).
 *
 * Unlike other cookie-authenticated writes, decode and encode need no CSRF token: the UI cannot send one. Instead,
 * only `application/json` is taken (a form of another page cannot send that; a script of another origin can only
 * after a CORS preflight, which only OMS_CODEC_CORS_ORIGINS pass), and both only answer, changing nothing.
 */
import path from 'node:path';
import cors from 'cors';
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import type { Payload, PayloadCodec } from '@temporalio/common';
import type { Db } from '../../db/client';
import type { Config } from '../../lib/config';
import { ROOT_DIR } from '../../lib/root';
import { PayloadDecryptionError } from '../../lib/payload-codec';
import { temporalDataConverter } from '../../lib/temporal';
import { authenticate } from '../auth';
import { bodyReader, PROTECTED_BODY } from '../body';
import { HttpError } from '../errors';
import { apiGroup, route, routeBehind } from '../operations';
import { parseBody } from '../validate';

/** The cookie that held a manager's key itself, before sign-in sessions: the sign-in page clears it. */
const LEGACY_COOKIE = 'oms_codec_key';
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

/** Only JSON, also with no body at all: what keeps forms of other pages out, in place of a CSRF token. */
const jsonOnly: RequestHandler = (req, _res, next) => {
  if (!req.is('application/json')) {
    throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the payloads as application/json');
  }
  next();
};

const namespaceHeader = z.object({
  'x-namespace': z
    .string()
    .optional()
    .meta({ description: "The Temporal namespace; another than the API's is refused (400 `WRONG_NAMESPACE`)" }),
});
const CONVERT_ERRORS = { 400: '`WRONG_NAMESPACE`' };

export const codecApi = apiGroup({
  mount: '/api/codec',
  tag: 'Temporal codec',
  description:
    "Temporal's remote codec protocol, for the Temporal Web UI and CLI: workflow histories hold customer data only encrypted, and this is how a manager reads it. The UI sends the sign-in session's cookie (the sign-in page signs in through `POST /api/session`; no CSRF token here, only `application/json`), scripts and the CLI send the Bearer key.",
  operations: {
    decodePayloads: {
      method: 'post',
      path: '/decode',
      summary: 'Decrypt payloads',
      description:
        'Payloads in proto JSON: metadata values and data in base64. 422 `INVALID_CONTENT` for a payload that does not decrypt.',
      permission: 'payloads.decode',
      headers: namespaceHeader,
      body: payloadsSchema,
      responses: { 200: '`{payloads}`, decoded' },
      errors: CONVERT_ERRORS,
    },
    encodePayloads: {
      method: 'post',
      path: '/encode',
      summary: 'Payloads as they are, not encrypted',
      description:
        "The Web UI calls it for what it would send to Temporal (a signal's or an Update's input). It answers the payloads unencrypted, so the worker takes them as unsealed and refuses them: staff decisions reach a workflow only through the API (docs/security.md, Temporal as a trust boundary), and a manager's key is no way to make a payload the worker would trust.",
      permission: 'payloads.decode',
      headers: namespaceHeader,
      body: payloadsSchema,
      responses: { 200: '`{payloads}`, encoded' },
      errors: CONVERT_ERRORS,
    },
    codecLoginPage: {
      method: 'get',
      path: '/login',
      summary: 'The sign-in page for the Temporal Web UI',
      permission: null,
      answers: 'html',
      responses: { 200: 'The page' },
    },
    codecLoginScript: {
      method: 'get',
      path: '/login.js',
      summary: "The sign-in page's script",
      permission: null,
      answers: 'javascript',
      responses: { 200: 'The script' },
    },
  },
});

export function codecRoutes(db: Db, config: Config): Router {
  const codecs: PayloadCodec[] = temporalDataConverter(config).payloadCodecs ?? [];
  const router = Router();
  const { operations } = codecApi;
  // The session cookie without a CSRF token: see the top of this file.
  const authenticated = authenticate(db, { csrf: false });

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

  const convert =
    (direction: 'decode' | 'encode'): RequestHandler =>
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
        // Encoding is refused by leaving the payloads as they are (see encodePayloads); decoding runs the codecs in
        // reverse, as the SDK does.
        if (direction === 'decode') for (const codec of [...codecs].reverse()) payloads = await codec.decode(payloads);
      } catch (err) {
        if (err instanceof PayloadDecryptionError) throw new HttpError(422, 'INVALID_CONTENT', err.message);
        throw err;
      }
      res.json({ payloads: payloads.map(toJson) });
    };
  // The body is read only once the caller is known and allowed, and only as JSON.
  const readBody = bodyReader({ json: PROTECTED_BODY.json });
  routeBehind(router, operations.decodePayloads, [authenticated], jsonOnly, ...readBody, convert('decode'));
  routeBehind(router, operations.encodePayloads, [authenticated], jsonOnly, ...readBody, convert('encode'));

  route(router, operations.codecLoginPage, (_req, res) => {
    res.clearCookie(LEGACY_COOKIE, { path: '/api/codec', httpOnly: true, sameSite: 'strict' });
    res.sendFile(path.join(LOGIN_PAGE, 'index.html'));
  });
  route(router, operations.codecLoginScript, (_req, res) => res.sendFile(path.join(LOGIN_PAGE, 'login.js')));

  return router;
}
