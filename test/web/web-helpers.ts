import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { ORIGIN } from '../helpers.js';

/**
 * A browser without JavaScript, for app.inject: keeps every cookie, asks for HTML, and posts
 * urlencoded forms with our Origin (as a browser does for a same-origin form).
 */
export class FormBrowser {
  readonly cookies = new Map<string, string>();
  constructor(
    private readonly app: FastifyInstance,
    private readonly origin: string | null = ORIGIN,
  ) {}

  private remember(response: LightMyRequestResponse): void {
    for (const cookie of response.cookies) {
      const expired =
        cookie.value === '' ||
        (cookie.maxAge !== undefined && cookie.maxAge <= 0) ||
        (cookie.expires !== undefined && cookie.expires.getTime() < Date.now());
      if (expired) this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
  }

  private cookieHeader(): Record<string, string> {
    if (this.cookies.size === 0) return {};
    return { cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ') };
  }

  async get(url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    const response = await this.app.inject({
      method: 'GET',
      url,
      headers: {
        host: new URL(ORIGIN).host,
        accept: 'text/html,application/xhtml+xml',
        ...this.cookieHeader(),
        ...headers,
      },
    });
    this.remember(response);
    return response;
  }

  async post(
    url: string,
    form: Record<string, string>,
    headers: Record<string, string> = {},
  ): Promise<LightMyRequestResponse> {
    const response = await this.app.inject({
      method: 'POST',
      url,
      headers: {
        host: new URL(ORIGIN).host,
        accept: 'text/html,application/xhtml+xml',
        'content-type': 'application/x-www-form-urlencoded',
        ...(this.origin ? { origin: this.origin } : {}),
        ...this.cookieHeader(),
        ...headers,
      },
      payload: new URLSearchParams(form).toString(),
    });
    this.remember(response);
    return response;
  }

  /** A JSON API call with this browser's cookies (what a client island does). */
  async api(
    method: 'GET' | 'PUT' | 'POST' | 'DELETE',
    url: string,
    body?: unknown,
  ): Promise<LightMyRequestResponse> {
    const response = await this.app.inject({
      method,
      url,
      headers: {
        host: new URL(ORIGIN).host,
        accept: 'application/json',
        ...(this.origin ? { origin: this.origin } : {}),
        ...this.cookieHeader(),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
    });
    this.remember(response);
    return response;
  }
}

/** Text of an HTML string with tags removed and the entities Preact writes decoded. */
export function textOf(html: string): string {
  return decodeEntities(html.replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ');
}

export function decodeEntities(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&amp;/g, '&');
}

/** The attributes of the first element matching a simple `tag[attr="value"]` test. */
export function findTag(html: string, tag: string, attribute: string, value: string): string | null {
  const pattern = new RegExp(
    `<${tag}\\b[^>]*\\b${attribute}="${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"[^>]*>`,
  );
  return pattern.exec(html)?.[0] ?? null;
}
