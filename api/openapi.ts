/**
 * The API as an OpenAPI 3.1 document (`GET /api/openapi.json`, read as a page at `GET /api/docs`), rendered by
 * zod-openapi from the operations the route files declare and register their routes with (api/operations.ts): the
 * same zod schemas the handlers validate with, the permission each route checks, and the error shape of
 * api/errors.ts. test/unit/openapi.test.ts checks it against the routes the app serves.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import {
  createDocument,
  type oas31,
  type ZodOpenApiOperationObject,
  type ZodOpenApiPathsObject,
  type ZodOpenApiResponseObject,
} from 'zod-openapi';
import { ROOT_DIR } from '../lib/root';
import { errorBodySchema } from './errors';
import type { ApiGroup, Operation } from './operations';
import { PERMISSIONS } from './permissions';
import { SESSION_COOKIE } from './session-cookie';

export type OpenApiDocument = oas31.OpenAPIObject;

/** Every path parameter's meaning: a route with a new one must say what it is here. */
const PATH_PARAMETERS: Record<string, string> = {
  orderNumber: 'An order number, `SO-<yyyymmdd>-<nnnnnn>`',
  seq: "The shipment's number within its order, from 1",
  returnNumber: 'A return number',
  transferNumber: 'A transfer number',
  ticketNumber: 'A repair ticket number, `RP-<yyyymmdd>-<nnnnnn>`',
  sku: 'A SKU',
  code: "A promotion's code, e.g. `MJ300`",
  location: 'A location code',
  serial: 'A serial number (IMEI)',
  id: 'The id of the row',
  carrier: 'The carrier; only `local` is known',
  token:
    "An order's or a repair ticket's tracking token, as the customer's emails link it (24 letters, digits, `-` and `_`)",
};

const MEDIA_TYPES = {
  json: 'application/json',
  csv: 'text/csv',
  html: 'text/html',
  javascript: 'text/javascript',
  text: 'text/plain',
} as const;

/** `/api/orders` and `/:orderNumber/pick` → `/api/orders/{orderNumber}/pick` (Express's `/` of a mount dropped). */
export function openApiPath(mount: string, routePath: string): string {
  return `${mount}${routePath}`.replace(/(.)\/$/, '$1').replace(/:(\w+)/g, '{$1}');
}

const pathParameterNames = (routePath: string) => [...routePath.matchAll(/:(\w+)/g)].map((m) => m[1]);

type Responses = Record<string, ZodOpenApiResponseObject>;

/** The refusals a route has by what it is (authenticated, with a body, a CSV file, a query), then its own. */
function errorResponses(operation: Operation): Responses {
  const reasons = new Map<number, string[]>();
  const add = (status: number, reason: string) => reasons.set(status, [...(reasons.get(status) ?? []), reason]);
  if (operation.permission) {
    add(401, '`UNAUTHENTICATED`: no key (or session), or one that is not valid');
    add(403, `\`FORBIDDEN\`: the key's role may not (\`details.permission\`: \`${operation.permission}\`)`);
    add(429, '`RATE_LIMITED`: too many failed authentications from this address; see `Retry-After`');
    add(503, '`UNAVAILABLE`: the database or Temporal is briefly unreachable; send it again after `Retry-After`');
  }
  if (/:(id|seq)\b/.test(operation.path)) add(400, '`INVALID_ID`: not a whole number from 1');
  if (operation.body) add(400, '`INVALID_JSON`');
  if (operation.body && !operation.permission) add(411, '`LENGTH_REQUIRED`: a public route takes no chunked body');
  if (operation.body || operation.csvColumns) {
    add(413, '`PAYLOAD_TOO_LARGE`');
    add(415, '`UNSUPPORTED_MEDIA_TYPE`');
  }
  if (operation.body) add(422, '`VALIDATION_FAILED`: each wrong field in `details: [{path, message}]`');
  if (operation.csvColumns) add(422, '`CSV_ROWS_INVALID`: each bad row in `details.rows: [{row, column, message}]`');
  if (operation.query) add(422, '`VALIDATION_FAILED`: a bad query, its issues in `details`');
  for (const [status, reason] of Object.entries(operation.errors ?? {})) if (reason) add(Number(status), reason);
  const responses: Responses = {};
  for (const status of [...reasons.keys()].sort((a, b) => a - b)) {
    responses[status] = {
      description: reasons.get(status)!.join('; '),
      content: { 'application/json': { schema: errorBodySchema } },
    };
  }
  return responses;
}

function successResponses(operation: Operation): Responses {
  const responses: Responses = {};
  for (const [status, description] of Object.entries(operation.responses)) {
    if (!description) continue;
    const mediaType = MEDIA_TYPES[operation.answers ?? 'json'];
    responses[status] = status === '204' ? { description } : { description, content: { [mediaType]: {} } };
  }
  return responses;
}

function openApiOperation(id: string, tag: string, operation: Operation): ZodOpenApiOperationObject {
  const names = pathParameterNames(operation.path);
  const pathParameters = names.length
    ? z.object(
        Object.fromEntries(
          names.map((name) => {
            const description = PATH_PARAMETERS[name];
            if (!description)
              throw new Error(`api/openapi.ts: describe the path parameter :${name} (${operation.path})`);
            return [name, z.string().meta({ description })];
          }),
        ),
      )
    : undefined;
  const { permission, body, csvColumns } = operation;
  return {
    operationId: id,
    tags: [tag],
    summary: operation.summary,
    description: operation.description,
    // Public routes take no key; the others take the document's default (a Bearer key or a session).
    ...(permission
      ? { 'x-permission': permission, 'x-roles': ['admin', ...PERMISSIONS[permission]] }
      : { security: [], 'x-public': true }),
    // zod-openapi takes only the kinds of parameters there are.
    requestParams: Object.fromEntries(
      Object.entries({ path: pathParameters, query: operation.query, header: operation.headers }).filter(([, p]) => p),
    ),
    requestBody: body
      ? { required: !body.safeParse({}).success, content: { 'application/json': { schema: body } } }
      : csvColumns
        ? {
            required: true,
            content: { 'text/csv': { schema: { type: 'string', description: `A header row: \`${csvColumns}\`` } } },
          }
        : undefined,
    responses: { ...successResponses(operation), ...errorResponses(operation) },
  };
}

function packageVersion(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT_DIR, 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

/** The document of these groups (app.ts passes every group it mounts). */
export function openApiDocument(groups: readonly ApiGroup[]): OpenApiDocument {
  const paths: ZodOpenApiPathsObject = {};
  const tags = new Map<string, string>();
  const ids = new Set<string>();
  for (const group of groups) {
    if (!tags.has(group.tag)) tags.set(group.tag, group.description);
    for (const [id, operation] of Object.entries(group.operations)) {
      if (ids.has(id)) throw new Error(`api/openapi.ts: two operations are called ${id}`);
      ids.add(id);
      const item = (paths[openApiPath(group.mount, operation.path)] ??= {});
      if (item[operation.method]) throw new Error(`api/openapi.ts: ${operation.method} ${operation.path} twice`);
      item[operation.method] = openApiOperation(id, group.tag, operation);
    }
  }
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'Shop OMS API',
      version: packageVersion(),
      description:
        'The HTTP API of Shop OMS, the order-fulfillment engine: intake from every channel, staff actions on orders and returns, stock, the catalogue and admin. Bodies are JSON (at most 100 kB), or CSV for imports (at most 5 MB). Every error answers `{"error": {code, message, details}}`. Each operation names the permission it needs (`x-permission`) and the roles that have it (`x-roles`); an admin may do everything.',
    },
    tags: [...tags].map(([name, description]) => ({ name, description })),
    security: [{ apiKey: [] }, { session: [] }],
    components: {
      securitySchemes: {
        apiKey: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'oms_<public id>_<secret>',
          description:
            'An API key, `Authorization: Bearer oms_…`. Admins create them (`POST /api/admin/keys`, or `npm run keys`); each has one role.',
        },
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: SESSION_COOKIE,
          description:
            "A browser's sign-in session (`POST /api/session` with an API key sets it). A write by session also sends the session's CSRF token in `X-CSRF-Token`.",
        },
      },
    },
    paths,
  });
}
