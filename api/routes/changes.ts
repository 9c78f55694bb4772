/**
 * GET /api/changes: how the console's lists and pages update by themselves. A long poll: the caller sends the
 * stamps it last saw and how long it may wait, and is answered as soon as one of them has changed (or when the
 * wait is over, with the same stamps). One watcher per API process reads the stamps once a second while anyone is
 * waiting, however many are. Plain JSON over the session like every other read: no extra connection type for
 * proxies or the CSRF rules to know about.
 */
import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../../db/client';
import { changeStamps, LIVE_TOPICS, type ChangeStamps } from '../../orders/change-stamps';
import { text } from '../../domain/text';
import { apiGroup, route } from '../operations';
import { parseQuery } from '../validate';
import { log } from '../../lib/log';

const WATCH_MS = 1000;
const MAX_WAIT_S = 30;

const stamp = text(200).optional();
const changesQuery = z.object({
  orders: stamp,
  stock: stamp,
  warnings: stamp,
  wait: z.coerce.number().int().min(0).max(MAX_WAIT_S).default(0),
});

export const changesApi = apiGroup({
  mount: '/api/changes',
  tag: 'Live updates',
  description: 'Whether orders, stock or warnings changed since the caller last looked: what the console waits on.',
  operations: {
    waitForChanges: {
      method: 'get',
      path: '/',
      summary: 'The change stamps, as soon as one differs from those given',
      description: `Send the stamps of the last answer (\`orders\`, \`stock\`, \`warnings\`) and \`wait\` (seconds, at most ${MAX_WAIT_S}): the answer comes once any of them has changed, or after \`wait\` with the same stamps. Without \`wait\` it comes at once. A stamp says nothing about what changed: reload what you show.`,
      permission: 'session.own',
      query: changesQuery,
      responses: { 200: '`{orders, stock, warnings}`: opaque stamps' },
    },
  },
});

type Seen = Partial<ChangeStamps>;
const differs = (now: ChangeStamps, seen: Seen) =>
  LIVE_TOPICS.some((topic) => seen[topic] !== undefined && seen[topic] !== now[topic]);

/** Reads the stamps once a second while someone waits, and answers the waiters whose stamps have moved on. */
class ChangeWatcher {
  private readonly waiters = new Set<{ seen: Seen; answer: (stamps: ChangeStamps) => void }>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly db: Db) {}

  /** The stamps once they differ from `seen`, or after `waitMs`; `gone` ends the wait early (the caller left). */
  wait(seen: Seen, waitMs: number, gone: AbortSignal): Promise<ChangeStamps | undefined> {
    return new Promise((resolve) => {
      const waiter = {
        seen,
        answer: (stamps: ChangeStamps | undefined) => {
          clearTimeout(deadline);
          this.waiters.delete(waiter);
          resolve(stamps);
        },
      };
      const deadline = setTimeout(() => waiter.answer(undefined), waitMs);
      gone.addEventListener('abort', () => waiter.answer(undefined), { once: true });
      this.waiters.add(waiter);
      this.timer ??= setInterval(() => void this.look(), WATCH_MS);
    });
  }

  private async look(): Promise<void> {
    if (this.waiters.size === 0) {
      clearInterval(this.timer);
      this.timer = undefined;
      return;
    }
    try {
      const now = await changeStamps(this.db);
      for (const waiter of [...this.waiters]) if (differs(now, waiter.seen)) waiter.answer(now);
    } catch (err) {
      // The database is down for a moment: the waiters are answered at their deadline and ask again.
      log.warn(`change stamps: ${(err as Error).message}`);
    }
  }
}

export function changesRoutes(db: Db): Router {
  const router = Router();
  const watcher = new ChangeWatcher(db);
  route(router, changesApi.operations.waitForChanges, async (req, res) => {
    const { wait, ...seen } = parseQuery(changesQuery, req.query);
    const now = await changeStamps(db);
    if (wait > 0 && !differs(now, seen)) {
      const gone = new AbortController();
      res.on('close', () => gone.abort());
      const changed = await watcher.wait(seen, wait * 1000, gone.signal);
      if (gone.signal.aborted) return;
      res.json(changed ?? now);
      return;
    }
    res.json(now);
  });
  return router;
}
