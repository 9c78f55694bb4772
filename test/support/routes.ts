/**
 * Every route the API serves, read from the Express app itself (router 2's layers), with the permission its
 * `allow(…)` names, so the permission tests cannot miss a route.
 */
import crypto from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { Db } from '../../db/client';
import { loadConfig, type Config } from '../../lib/config';
import { createApp } from '../../api/app';
import type { Permission } from '../../api/permissions';

export interface ApiRoute {
  method: string;
  /** As declared, e.g. `/api/orders/:orderNumber/pick`. */
  path: string;
  permission?: Permission;
}

interface Layer {
  rawPath?: unknown;
  route?: {
    path: string;
    methods: Record<string, boolean>;
    stack: { handle: { permission?: Permission } }[];
  };
  handle: { stack?: Layer[] };
}

/** Routing only: the app is built with stand-ins for the database and Temporal, and never listens. */
export function listApiRoutes(config: Config = configForListing()): ApiRoute[] {
  const app = createApp({} as Db, {} as Client, config, () => Promise.resolve());
  const routes: ApiRoute[] = [];
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        const guard = layer.route.stack.map((l) => l.handle).find((h) => h.permission);
        const path = `${prefix}${layer.route.path}`.replace(/(.)\/$/, '$1');
        for (const method of Object.keys(layer.route.methods)) {
          routes.push({ method: method.toUpperCase(), path, permission: guard?.permission });
        }
      } else if (layer.handle.stack && typeof layer.rawPath === 'string') {
        walk(layer.handle.stack, layer.rawPath === '/' ? prefix : `${prefix}${layer.rawPath}`);
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '');
  return routes;
}

function configForListing(): Config {
  return loadConfig({ OMS_PAYLOAD_KEYS: `list:${crypto.randomBytes(32).toString('base64')}` });
}
