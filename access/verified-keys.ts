/**
 * Successful key checks, kept in memory for a short time: a scrypt check costs tens of milliseconds, and intake
 * must answer well within 50 ms. Entries are keyed by a SHA-256 of the presented key, never the key itself.
 *
 * Revoking a key through this process forgets it here at once. Another process (a second API, `npm run keys --
 * revoke`) cannot reach this memory: there, a revoked key keeps working until its entry expires (OMS_KEY_CACHE_TTL,
 * 60 s by default). Concurrent checks of the same key share one scrypt run.
 *
 * Beside that, a longer memory of keys that verified (KNOWN_GOOD_MS, a day; the same SHA-256, never the key): such
 * a key is never held back by the failed-authentication limit of an address (api/auth-limits.ts), so the tills of a
 * shop behind one address keep working while something there floods guesses. It lets a key past the limit only: the
 * key is still checked (scrypt against its row, revocation included) whenever the short memory above has expired. A
 * key that fails its check, or is revoked through this process, is forgotten here too.
 */
import crypto from 'node:crypto';
import type { KeyCheck, KeyHolder } from './key-store';

/** Past this many entries, expired ones are swept on the next insert. */
const SWEEP_ABOVE = 1_000;
/** How long a verified key is let past the failed-authentication limit (not: accepted without a check). */
export const KNOWN_GOOD_MS = 24 * 3_600_000;

const digestOf = (key: string) => crypto.createHash('sha256').update(key).digest('base64url');

export class VerifiedKeyCache {
  private readonly entries = new Map<string, { holder: KeyHolder; expiresAt: number }>();
  private readonly inFlight = new Map<string, Promise<KeyCheck>>();
  /** Keys that verified within KNOWN_GOOD_MS: digest → key id and until when. */
  private readonly knownGood = new Map<string, { keyId: number; expiresAt: number }>();
  /** Keys revoked through this process: a check already running when one was revoked is not remembered. */
  private readonly revoked = new Set<number>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
    private readonly knownGoodMs: number = KNOWN_GOOD_MS,
  ) {}

  /** The holder of this key when a check of it succeeded within the TTL; a lookup, no scrypt. */
  remembered(key: string): KeyHolder | undefined {
    return this.lookup(digestOf(key));
  }

  /** The check of this key running right now, if any: a burst of requests with one key shares it. */
  running(key: string): Promise<KeyCheck> | undefined {
    return this.inFlight.get(digestOf(key));
  }

  /** This key verified within KNOWN_GOOD_MS (and was not revoked here nor failed since): a lookup, no scrypt. */
  isKnownGood(key: string): boolean {
    const digest = digestOf(key);
    const entry = this.knownGood.get(digest);
    if (entry && entry.expiresAt > this.now()) return true;
    if (entry) this.knownGood.delete(digest);
    return false;
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
      if (!outcome.ok) this.knownGood.delete(digest);
      if (outcome.ok && !this.revoked.has(outcome.holder.keyId)) {
        if (this.entries.size >= SWEEP_ABOVE || this.knownGood.size >= SWEEP_ABOVE) this.sweep();
        const { keyId } = outcome.holder;
        this.knownGood.set(digest, { keyId, expiresAt: this.now() + this.knownGoodMs });
        if (this.ttlMs > 0) this.entries.set(digest, { holder: outcome.holder, expiresAt: this.now() + this.ttlMs });
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
    for (const [digest, entry] of this.knownGood) if (entry.keyId === keyId) this.knownGood.delete(digest);
  }

  private sweep(): void {
    const now = this.now();
    for (const [digest, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(digest);
    for (const [digest, entry] of this.knownGood) if (entry.expiresAt <= now) this.knownGood.delete(digest);
  }
}
