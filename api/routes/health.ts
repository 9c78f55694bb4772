import { Router } from 'express';
import type { Client } from '@temporalio/client';
import type { Db } from '../../db/client';
import { apiGroup, route } from '../operations';

async function check(probe: () => Promise<unknown>): Promise<{ ok: boolean; error?: string }> {
  try {
    await probe();
    return { ok: true };
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
}

export const healthApi = apiGroup({
  mount: '/api/health',
  tag: 'Health',
  description: 'For load balancers and monitoring: no key needed.',
  operations: {
    health: {
      method: 'get',
      path: '/',
      summary: 'Whether the database and Temporal answer',
      permission: null,
      responses: {
        200: '`{status: "ok", database: {ok}, temporal: {ok}}`',
        503: '`{status: "degraded", …}`: what is down has `ok: false` and an `error`',
      },
    },
  },
});

/** GET /api/health: 200 when the database and Temporal both answer, else 503 naming what is down. */
export function healthRoutes(db: Db, temporal: Client): Router {
  const router = Router();
  route(router, healthApi.operations.health, async (_req, res) => {
    const [database, temporalCheck] = await Promise.all([
      check(() => db.$queryRaw`SELECT 1`),
      check(() => temporal.connection.workflowService.getSystemInfo({})),
    ]);
    const ok = database.ok && temporalCheck.ok;
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'degraded', database, temporal: temporalCheck });
  });
  return router;
}
