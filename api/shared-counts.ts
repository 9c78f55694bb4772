/**
 * Rate-limit counts shared by every API process through Redis (OMS_REDIS_URL), so a limit holds for the cluster
 * and not once per process behind the balancer. One connection per process; ioredis reconnects by itself.
 *
 * A fixed window per key: INCR, and PEXPIRE NX starts the window on the first hit. Not rate-limit-redis: it loads
 * a Lua script once when the limiter is built, and if Redis is down at that moment every later count fails until
 * the process restarts (the limit silently off). Two plain commands have no such state.
 *
 * When Redis cannot be reached, the limits let requests through at once (no waiting for a connection) and the log
 * says so, once per outage: a rate limit protects the system from a runaway client, and refusing every order because
 * its counter is down would be the outage it is there to prevent.
 */
import { Redis } from 'ioredis';
import type { ClientRateLimitInfo, Options, Store } from 'express-rate-limit';
import type { Config } from '../lib/config';
import { log } from '../lib/log';
import { describeError } from '../lib/redact';

const clients = new Map<string, Redis>();

function clientFor(url: string): Redis {
  let client = clients.get(url);
  if (!client) {
    // No queue while disconnected: a count fails at once and the request goes on (see above).
    client = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2_000 });
    let reported = false;
    client.on('error', (err) => {
      if (!reported) log.warn(`Redis at ${new URL(url).host} unreachable: ${describeError(err)}`);
      reported = true;
    });
    client.on('ready', () => (reported = false));
    clients.set(url, client);
  }
  return client;
}

class RedisCounts implements Store {
  private windowMs = 60_000;

  constructor(
    private readonly client: Redis,
    readonly prefix: string,
  ) {}

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    try {
      return await this.count(this.prefix + key);
    } catch {
      // Redis away (the connection's error handler has said so): counted as the window's first request.
      return { totalHits: 1, resetTime: new Date(Date.now() + this.windowMs) };
    }
  }

  private async count(name: string): Promise<ClientRateLimitInfo> {
    const replies = await this.client.multi().incr(name).pexpire(name, this.windowMs, 'NX').pttl(name).exec();
    if (!replies) throw new Error('Redis discarded the rate-limit count');
    for (const [err] of replies) if (err) throw err;
    const totalHits = Number(replies[0][1]);
    const ttl = Number(replies[2][1]);
    return { totalHits, resetTime: new Date(Date.now() + (ttl > 0 ? ttl : this.windowMs)) };
  }

  async decrement(key: string): Promise<void> {
    await this.client.decr(this.prefix + key).catch(() => undefined);
  }

  async resetKey(key: string): Promise<void> {
    await this.client.del(this.prefix + key).catch(() => undefined);
  }
}

/** The store for one limit's counts (`identifier`): in Redis when configured, else undefined (this process's memory). */
export function sharedStore(config: Pick<Config, 'redis'>, identifier: string): Store | undefined {
  if (!config.redis) return undefined;
  return new RedisCounts(clientFor(config.redis.url), `${config.redis.prefix}:rate:${identifier}:`);
}

/** Closes this process's Redis connections, if any (shutdown). */
export function closeSharedCounts(): void {
  const open = [...clients.values()];
  clients.clear();
  for (const client of open) client.disconnect();
}
