import { Router } from 'express';
import type { Client } from '@temporalio/client';
import type { Db } from '../../db/client';

async function check(probe: () => Promise<unknown>): Promise<{ ok: boolean; error?: string }> {
  try {
    await probe();
    return { ok: true };
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
}

/** GET /api/health: 200 when the database and Temporal both answer, else 503 naming what is down. */
export function healthRoutes(db: Db, temporal: Client): Router {
  const router = Router();
  router.get('/', async (_req, res) => {
    const [database, temporalCheck] = await Promise.all([
      check(() => db.$queryRaw`SELECT 1`),
      check(() => temporal.connection.workflowService.getSystemInfo({})),
    ]);
    const ok = database.ok && temporalCheck.ok;
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'degraded', database, temporal: temporalCheck });
  });
  return router;
}
