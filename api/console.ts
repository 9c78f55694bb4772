/**
 * The staff web console (console/, built by Vite into console/dist): its files at `/`, and index.html for any other
 * path outside /api (the console routes in the browser). Hashed assets are cached for a year, index.html never, so a
 * new build shows on the next load. Without a build, `/` says how to make one instead of failing.
 */
import fs from 'node:fs';
import path from 'node:path';
import express, { Router } from 'express';

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Shop OMS</title></head>
<body><h1>Shop OMS</h1>
<p>The staff console has not been built. Run <code>npm start</code> (it builds the console when needed) or
<code>npm run build:console</code>, then reload this page. The API is at <a href="/api/docs">/api</a>.</p>
</body></html>
`;

/** `dist` is Vite's output (OMS_CONSOLE_DIR, console/dist unless set). */
export function consoleRoutes(dist: string): Router {
  const router = Router();
  const index = path.join(dist, 'index.html');
  router.use('/assets', express.static(path.join(dist, 'assets'), { immutable: true, maxAge: '365d', index: false }));
  router.use(
    express.static(dist, {
      index: false,
      maxAge: '1h',
      setHeaders: (res, file) => {
        if (file.endsWith('.html')) res.setHeader('Cache-Control', 'no-cache');
      },
    }),
  );
  // Middleware, not a route: the API's routes (and the OpenAPI document, which lists them) stay those under /api.
  router.use((req, res, next) => {
    if (
      (req.method !== 'GET' && req.method !== 'HEAD') ||
      /^\/(api|assets)(\/|$)/.test(req.path) ||
      !req.accepts('html')
    ) {
      next();
      return;
    }
    res.set('Cache-Control', 'no-cache');
    if (!fs.existsSync(index)) {
      res.status(503).type('html').send(NOT_BUILT);
      return;
    }
    res.sendFile(index);
  });
  return router;
}
