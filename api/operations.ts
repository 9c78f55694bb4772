/**
 * The API's operations, declared next to their routes: each route file exports its group (where app.ts mounts its
 * router, and per operation the method, path, permission and the zod schemas its handler validates with) and
 * registers every route with `route(router, operation, …)`, so the permission checked is the one declared.
 * api/openapi.ts renders the same objects as the OpenAPI document (`GET /api/openapi.json`, `GET /api/docs`);
 * test/unit/openapi.test.ts checks that every route the app serves is in it, with the same permission.
 */
import type { RequestHandler, Router } from 'express';
import { z } from 'zod';
import { allow } from './auth';
import type { Permission } from './permissions';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface Operation {
  method: Method;
  /** As the group's router declares it, e.g. `/:orderNumber/approve` (the path parameters are described in openapi.ts). */
  path: string;
  /** One line: what it does. */
  summary: string;
  /** More, in Markdown. */
  description?: string;
  /** What `allow(…)` checks (the matrix in permissions.ts); `null` for the routes in PUBLIC_ROUTES. */
  permission: Permission | null;
  /** The JSON body, the schema its handler's parseBody uses. */
  body?: z.ZodType;
  /** A CSV file as the body (`text/csv`): its header row. */
  csvColumns?: string;
  /** The query string, the schema its handler's parseQuery uses. */
  query?: z.ZodObject;
  /** Request headers that matter (a webhook's signature, the codec's namespace). */
  headers?: z.ZodObject;
  /** What comes back when it works, by status (loosely: most answers are the rows as stored). */
  responses: Partial<Record<number, string>>;
  /** The type of those answers: JSON unless said (204 has none). */
  answers?: 'json' | 'csv' | 'html' | 'javascript' | 'text';
  /**
   * Refusals particular to this route, by status. Those every such route shares come on their own: 401, 403, 429
   * and 503 with a permission, 400, 413, 415 and 422 with a body or a CSV file, 422 with a query.
   */
  errors?: Partial<Record<number, string>>;
}

export interface ApiGroup<O extends Record<string, Operation> = Record<string, Operation>> {
  /** Where app.ts mounts the group's router, e.g. `/api/orders`. */
  mount: string;
  /** The OpenAPI tag its operations are listed under. */
  tag: string;
  description: string;
  /** By operation id (unique across the API). */
  operations: O;
}

/** A group of operations, its literal types kept (so a handler may read `group.operations.x.body`). */
export const apiGroup = <O extends Record<string, Operation>>(group: ApiGroup<O>): ApiGroup<O> => group;

/** A body that must be empty, or `{}` (the staff actions that take nothing). */
export const emptyBody = z.object({}).strict();

/** Registers the operation's route: its method and path, `allow(permission)` first unless public, then `handlers`. */
export function route(router: Router, operation: Operation, ...handlers: RequestHandler[]): void {
  routeBehind(router, operation, [], ...handlers);
}

/** As route(), with `before` ahead of the permission check (authentication where the app has not done it yet). */
export function routeBehind(
  router: Router,
  operation: Operation,
  before: RequestHandler[],
  ...handlers: RequestHandler[]
): void {
  const guard = operation.permission ? [allow(operation.permission)] : [];
  // The route's pattern, e.g. `/api/orders/:orderNumber`, for the request metrics (api/metrics.ts): never the raw path.
  const notePattern: RequestHandler = (req, res, next) => {
    res.locals.routePattern = `${req.baseUrl}${operation.path}`.replace(/(.)\/$/, '$1');
    next();
  };
  router[operation.method](operation.path, notePattern, ...before, ...guard, ...handlers);
}
