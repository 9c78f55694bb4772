/**
 * This API described: the OpenAPI document (api/openapi.ts) and a page to read it (api/docs-page.ts). Public, like
 * the health check: it holds no data, only what the routes take and answer, and who may call them.
 */
import { Router } from 'express';
import { renderDocsPage, type DocsPage } from '../docs-page';
import type { OpenApiDocument } from '../openapi';
import { apiGroup, route } from '../operations';

export const docsApi = apiGroup({
  mount: '/api',
  tag: 'Reference',
  description: 'This API described: no key needed.',
  operations: {
    getOpenApiDocument: {
      method: 'get',
      path: '/openapi.json',
      summary: 'This API as an OpenAPI 3.1 document',
      permission: null,
      responses: { 200: 'The document' },
    },
    getApiReference: {
      method: 'get',
      path: '/docs',
      summary: 'This API as a page to read',
      description: 'The same document: operations by tag, with who may call them, parameters, body fields and answers.',
      permission: null,
      answers: 'html',
      responses: { 200: 'The page' },
    },
  },
});

/** `document` is built on the first request and kept (it describes code, which does not change while running). */
export function docsRoutes(document: () => OpenApiDocument): Router {
  const router = Router();
  let built: OpenApiDocument | undefined;
  let page: DocsPage | undefined;
  const documentOnce = () => (built ??= document());

  route(router, docsApi.operations.getOpenApiDocument, (_req, res) => {
    res.json(documentOnce());
  });

  route(router, docsApi.operations.getApiReference, (_req, res) => {
    page ??= renderDocsPage(documentOnce());
    res.set('Content-Security-Policy', page.contentSecurityPolicy).type('html').send(page.html);
  });

  return router;
}
