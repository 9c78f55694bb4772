/**
 * Logs carry no secrets and no customer's full email or phone. Error messages are the risk: Prisma quotes a failed
 * call with its arguments (names, addresses, phones) over several lines, so only an error's first and last lines
 * are kept, and any email address or long digit run left in them is masked.
 */

const EMAIL = /([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})/g;
/**
 * Seven or more digits, possibly separated by spaces, dots or dashes (a phone number), standing alone: not part of
 * a word or a dashed code such as an order number (SO-20261123-000042).
 */
const PHONE = /(?<![\w-])\+?\d(?:[ .-]?\d){6,}(?![\w-])/g;
/** An API key in our format: the public part may stay, the secret may not. */
const API_KEY = /\b(oms_[0-9a-f]{12})_[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g;

/** `li@example.com` → `l***@example.com`; `+86 138 0013 8000` → `***8000`; an API key keeps only `oms_<id>_***`. */
export function redactText(text: string): string {
  return text
    .replace(API_KEY, '$1_***')
    .replace(EMAIL, '$1***@$2')
    .replace(PHONE, (digits) => `***${digits.replace(/\D/g, '').slice(-4)}`);
}

/** One line for a log: the error's name and code, its first and last lines, masked; the stack's frames if asked. */
export function describeError(err: unknown, withStack = false): string {
  if (!(err instanceof Error)) return redactText(String(err)).slice(0, 500);
  const lines = err.message
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const message = lines.length > 2 ? `${lines[0]} … ${lines[lines.length - 1]}` : lines.join(' ');
  const code = (err as { code?: unknown }).code;
  const head = `${err.name}${typeof code === 'string' ? ` ${code}` : ''}: ${redactText(message).slice(0, 500)}`;
  if (!withStack) return head;
  const frames = (err.stack ?? '').split('\n').filter((l) => /^\s+at /.test(l));
  return [head, ...frames].join('\n');
}
