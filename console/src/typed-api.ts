/**
 * Calls checked against the API's own description: console/src/api-schema.ts is generated from the OpenAPI document
 * (`npm run console:api-types`), which is generated from the routes' zod schemas. A path that is not a route, a
 * missing path parameter, a body or a query the route would refuse with 422: each is a type error here, before a
 * person ever sees it. The answers' shapes are not in the document (it describes them in words), so screens still
 * name what they read.
 */
import { api, query } from './api';
import type { paths } from './api-schema';

/** The document's paths as the console writes them, without `/api`. */
type ConsolePaths = { [P in keyof paths as P extends `/api${infer Rest}` ? Rest : never]: paths[P] };
type ApiPath = keyof ConsolePaths;
type Method = 'get' | 'post' | 'put' | 'delete';
type Operation<P extends ApiPath, M extends Method> = NonNullable<ConsolePaths[P][M]>;

/** The paths with an operation for `method`. */
export type PathsFor<M extends Method> = {
  [P in ApiPath]: ConsolePaths[P][M] extends object ? P : never;
}[ApiPath];

type ParamsOf<P extends ApiPath, M extends Method> =
  Operation<P, M> extends { parameters: { path: infer Params } } ? Params : Record<string, never>;
export type BodyOf<P extends ApiPath, M extends Method> =
  Operation<P, M> extends { requestBody: { content: { 'application/json': infer Body } } }
    ? Body
    : Operation<P, M> extends { requestBody?: { content: { 'application/json': infer Body } } }
      ? Body | undefined
      : undefined;
export type QueryOf<P extends ApiPath> =
  Operation<P, 'get'> extends { parameters: { query?: infer Query } } ? NonNullable<Query> : never;

function fill(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (_match, name: string) => encodeURIComponent(String(params[name])));
}

/** A GET route's path with its parameters and query filled in (for useApi). */
export function pathTo<P extends PathsFor<'get'>>(
  template: P,
  params: ParamsOf<P, 'get'>,
  search?: QueryOf<P>,
): string {
  const values = (search ?? {}) as Record<string, string | number | undefined>;
  return fill(template, params as Record<string, string>) + query(values);
}

/** A write to an operation of the document; resolves with its answer (shape not described: unknown). */
export function send<M extends 'post' | 'put' | 'delete', P extends PathsFor<M>>(
  method: M,
  template: P,
  params: ParamsOf<P, M>,
  body: BodyOf<P, M>,
): Promise<unknown> {
  const verb = ({ post: 'POST', put: 'PUT', delete: 'DELETE' } as const)[method];
  return api(verb, fill(template, params as Record<string, string>), body);
}
