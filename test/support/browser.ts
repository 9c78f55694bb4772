/**
 * A browser as far as the API can tell: plain fetch with a cookie jar that keeps what `Set-Cookie` sets (and drops
 * what it clears or lets expire), sending the cookies back on every request. No Authorization header unless a test
 * adds one: what a person signed in by session sends.
 */
import type { ApiResponse } from './api';

export interface SetCookie {
  name: string;
  value: string;
  /** The attributes as sent, lower-cased names: `httponly`, `samesite`, `path`, `max-age`, `expires`, `secure`. */
  attributes: Record<string, string | true>;
}

/** Every `Set-Cookie` of an answer, parsed. */
export function setCookies(response: Response): SetCookie[] {
  return response.headers.getSetCookie().map((line) => {
    const [pair, ...rest] = line.split(';');
    const eq = pair.indexOf('=');
    const attributes: Record<string, string | true> = {};
    for (const attribute of rest) {
      const at = attribute.indexOf('=');
      if (at < 0) attributes[attribute.trim().toLowerCase()] = true;
      else attributes[attribute.slice(0, at).trim().toLowerCase()] = attribute.slice(at + 1).trim();
    }
    return { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim(), attributes };
  });
}

export interface BrowserRequest {
  /** Sent as JSON (a string as it is). */
  body?: unknown;
  headers?: Record<string, string>;
}

export class Browser {
  readonly cookies = new Map<string, string>();

  constructor(private readonly baseUrl: string) {}

  /** The Cookie header this browser sends (undefined with no cookies). */
  cookieHeader(): string | undefined {
    return this.cookies.size ? [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ') : undefined;
  }

  /** Keeps what the answer sets; an empty value, `Max-Age=0` or an `Expires` in the past removes the cookie. */
  store(response: Response): void {
    for (const { name, value, attributes } of setCookies(response)) {
      const expires = typeof attributes.expires === 'string' ? Date.parse(attributes.expires) : NaN;
      const gone = value === '' || attributes['max-age'] === '0' || expires <= Date.now();
      if (gone) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  /** One request with this browser's cookies; the answer's body parsed when it is JSON. */
  async fetch(method: string, route: string, request: BrowserRequest = {}): Promise<Response> {
    const headers: Record<string, string> = { ...request.headers };
    const cookie = this.cookieHeader();
    if (cookie) headers.cookie = cookie;
    if (request.body !== undefined) headers['content-type'] ??= 'application/json';
    const response = await fetch(`${this.baseUrl}${route}`, {
      method,
      headers,
      body:
        request.body === undefined
          ? undefined
          : typeof request.body === 'string'
            ? request.body
            : JSON.stringify(request.body),
    });
    this.store(response);
    return response;
  }

  /** As fetch(), answering the status and the parsed body (typed as the caller expects, undefined when empty). */
  async call<Body = unknown>(method: string, route: string, request: BrowserRequest = {}): Promise<ApiResponse<Body>> {
    const response = await this.fetch(method, route, request);
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as Body };
  }
}
