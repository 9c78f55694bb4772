/**
 * Successful key checks, kept in memory for a short time: a scrypt check costs tens of milliseconds, and intake
 * must answer well within 50 ms. Entries are keyed by a SHA-256 of the presented key, never the key itself.
 *
 * Revoking a key through this process forgets it here at once. Another process (a second API, `npm run keys --
 * revoke`) cannot reach this memory: there, a revoked key keeps working until its entry expires (OMS_KEY_CACHE_TTL,
 * 60 s by default). Concurrent checks of the same key share one scrypt run.
 */
import crypto from 'node:crypto';
import type { KeyCheck, KeyHolder } from './key-store';

/** Past this many entries, expired ones are swept on the next insert. */
const SWEEP_ABOVE = 1_000;

const digestOf = (key: string) => crypto.createHash('sha256').update(key).digest('base64url');

export class VerifiedKeyCache {
  private readonly entries = new Map<string, { holder: KeyHolder; expiresAt: number }>();
  private readonly inFlight = new Map<string, Promise<KeyCheck>>();
  /** Keys revoked through this process: a check already running when one was revoked is not remembered. */
  private readonly revoked = new Set<number>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The holder of this key when a check of it succeeded within the TTL; a lookup, no scrypt. */
  remembered(key: string): KeyHolder | undefined {
    return this.lookup(digestOf(key));
  }

  /** The remembered result for this key, else `check()`'s; only a successful check is remembered. */
  async verify(key: string, check: () => Promise<KeyCheck>): Promise<KeyCheck> {
    const digest = digestOf(key);
    const holder = this.lookup(digest);
    if (holder) return { ok: true, holder };

    const running = this.inFlight.get(digest);
    if (running) return running;
    const result = check();
    this.inFlight.set(digest, result);
    try {
      const outcome = await result;
      if (outcome.ok && this.ttlMs > 0 && !this.revoked.has(outcome.holder.keyId)) {
        if (this.entries.size >= SWEEP_ABOVE) this.sweep();
        this.entries.set(digest, { holder: outcome.holder, expiresAt: this.now() + this.ttlMs });
      }
      return outcome;
    } finally {
      this.inFlight.delete(digest);
    }
  }

  private lookup(digest: string): KeyHolder | undefined {
    const cached = this.entries.get(digest);
    if (cached && cached.expiresAt > this.now()) return cached.holder;
    if (cached) this.entries.delete(digest);
    return undefined;
  }

  /** Forgets every remembered check of this key: it was just revoked. */
  forget(keyId: number): void {
    this.revoked.add(keyId);
    for (const [digest, entry] of this.entries) if (entry.holder.keyId === keyId) this.entries.delete(digest);
  }

  private sweep(): void {
    const now = this.now();
    for (const [digest, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(digest);
  }
}
