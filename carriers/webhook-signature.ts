/**
 * Carrier webhooks are signed: header `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`.
 * A signature older than the tolerance is refused, so a captured request cannot be replayed later.
 */
import crypto from 'node:crypto';

export const SIGNATURE_HEADER = 'x-carrier-signature';
const DEFAULT_TOLERANCE_S = 300;

export function signPayload(secret: string, body: string, nowS = Math.floor(Date.now() / 1000)): string {
  const mac = crypto.createHmac('sha256', secret).update(`${nowS}.${body}`).digest('hex');
  return `t=${nowS},v1=${mac}`;
}

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

export function verifySignature(
  secret: string,
  header: string | undefined,
  body: string,
  nowS = Math.floor(Date.now() / 1000),
  toleranceS = DEFAULT_TOLERANCE_S,
): SignatureCheck {
  const parts: Partial<Record<string, string>> = Object.fromEntries(
    (header ?? '').split(',').map((p): [string, string | undefined] => {
      const [name, value] = p.trim().split('=', 2);
      return [name, value];
    }),
  );
  const timestamp = Number(parts.t);
  const v1 = parts.v1 ?? '';
  if (!header || !Number.isInteger(timestamp) || !/^[0-9a-f]{64}$/.test(v1)) {
    return { ok: false, reason: 'missing or malformed signature' };
  }
  if (Math.abs(nowS - timestamp) > toleranceS)
    return { ok: false, reason: 'signature timestamp outside the allowed window' };
  const expected = crypto.createHmac('sha256', secret).update(`${timestamp}.${body}`).digest();
  const given = Buffer.from(v1, 'hex');
  return crypto.timingSafeEqual(expected, given) ? { ok: true } : { ok: false, reason: 'signature does not match' };
}
