/** Calls to /api with the session cookie; writes carry the session's CSRF token. */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The error's `details` (e.g. `[{path, message}]` for a 422), or null. */
    readonly details: unknown = null,
  ) {
    super(message);
  }
}

let csrfToken: string | undefined;
let signedOutHandler: (() => void) | undefined;

/** What to do when a signed-in console is answered 401: its session ended (revoked by an admin, expired). */
export function onSignedOut(handler: (() => void) | undefined): void {
  signedOutHandler = handler;
}

/** The CSRF token of the signed-in session (GET /api/session), sent with every write. */
export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

export function api<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
  return call<T>(
    method,
    path,
    body === undefined ? undefined : { type: 'application/json', text: JSON.stringify(body) },
  );
}

/** A POST whose body is text as it is (a CSV file: `text/csv`), answered and refused like api(). */
export function apiText<T>(path: string, body: string, contentType = 'text/csv'): Promise<T> {
  return call<T>('POST', path, { type: contentType, text: body });
}

/** One request: the session's cookie, its CSRF token on a write; a refusal as an ApiError with the API's words. */
async function call<T>(method: string, path: string, body?: { type: string; text: string }): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body) headers['content-type'] = body.type;
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  const response = await fetch(`/api${path}`, { method, headers, credentials: 'same-origin', body: body?.text });
  const text = await response.text();
  const data: unknown = text ? JSON.parse(text) : undefined;
  if (!response.ok) {
    if (response.status === 401 && csrfToken) signedOutHandler?.();
    const error = (data as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
    throw new ApiError(
      response.status,
      error?.code ?? `HTTP_${response.status}`,
      error?.message ?? response.statusText,
      error?.details ?? null,
    );
  }
  return data as T;
}

/** A query string from the values that are set. */
export function query(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params))
    if (value !== undefined && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}
