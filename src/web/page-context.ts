import type { FastifyReply, FastifyRequest } from 'fastify';
import type { NavEntry } from './layout.js';

// What every page needs to know about the visitor: who they are, which colour theme they chose, the
// one-time message left by the previous form post, and where they are (for "return to" links).

export const THEME_COOKIE = 'waymark_theme';
export const FLASH_COOKIE = 'waymark_flash';

/** 'system' follows prefers-color-scheme; the others were chosen with the toggle (cookie `waymark_theme`). */
export type Theme = 'system' | 'light' | 'dark';

export interface PageUser {
  id: string;
  email: string | null;
  isGuest: boolean;
  /** The account opened an emailed link sent to its address. */
  emailVerified: boolean;
}

export interface Flash {
  kind: 'success' | 'error' | 'info';
  text: string;
  /**
   * A refused form carried across Post/Redirect/Get: the message by each field and what was typed, so
   * the page shows them at its own address (a reload does not send the form again).
   */
  form?: FlashForm;
  /** What just happened, for pages that say more than the message (the home page after sign-up). */
  event?: 'signed-up';
}

export interface FlashForm {
  fields: Record<string, string>;
  form: string | null;
  values: Record<string, string>;
}

/** Cookies hold about 4 KB: beyond this the typed values are dropped (the messages stay). */
const FLASH_MAX_JSON = 3000;

function stringRecord(value: unknown, maxLength: number): Record<string, string> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .filter((entry): entry is [string, string] => typeof entry[1] === 'string')
      .slice(0, 30)
      .map(([name, text]) => [name.slice(0, 40), text.slice(0, maxLength)]),
  );
}

function flashFormOf(value: unknown): FlashForm | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const raw = value as Partial<Record<keyof FlashForm, unknown>>;
  return {
    fields: stringRecord(raw.fields, 300),
    form: typeof raw.form === 'string' ? raw.form.slice(0, 300) : null,
    values: stringRecord(raw.values, 200),
  };
}

export interface PageContext {
  user: PageUser | null;
  theme: Theme;
  flash: Flash | null;
  /** The path and query of this page, for forms that come back here. */
  path: string;
  /** The top navigation: every installed feature's `nav` entries, in order. */
  nav: readonly NavEntry[];
  /** This Waymark sends email (WAYMARK_SMTP_URL): sign-up by link, forgot password, verification. */
  mail: boolean;
}

export function themeOf(request: FastifyRequest): Theme {
  const value = request.cookies[THEME_COOKIE];
  return value === 'light' || value === 'dark' ? value : 'system';
}

export function userOf(request: FastifyRequest): PageUser | null {
  const user = request.auth?.user;
  return user
    ? {
        id: user.id,
        email: user.email,
        isGuest: user.is_guest === 1,
        emailVerified: user.email_verified_at !== null,
      }
    : null;
}

function flashOf(request: FastifyRequest): Flash | null {
  const raw = request.cookies[FLASH_COOKIE];
  if (!raw) return null;
  try {
    const parsed = JSON.parse(raw) as Partial<Record<keyof Flash, unknown>>;
    const kind = parsed.kind === 'error' || parsed.kind === 'info' ? parsed.kind : 'success';
    if (typeof parsed.text !== 'string' || parsed.text === '') return null;
    const form = flashFormOf(parsed.form);
    return {
      kind,
      text: parsed.text.slice(0, 300),
      ...(form ? { form } : {}),
      ...(parsed.event === 'signed-up' ? { event: 'signed-up' as const } : {}),
    };
  } catch {
    return null;
  }
}

/**
 * Everything `Layout` needs from the request, to spread into it.
 *
 * @example <Layout {...pageContext(request)} title="Your plan" active="plan">…</Layout>
 */
export function pageContext(request: FastifyRequest): PageContext {
  return {
    user: userOf(request),
    theme: themeOf(request),
    flash: flashOf(request),
    path: safeReturnPath(request.url),
    nav: request.server.features.nav,
    mail: request.server.config.mail !== null,
  };
}

/**
 * Leaves a message for the next page the visitor sees (after a form post's redirect).
 *
 * @example setFlash(reply, { kind: 'success', text: 'Password changed.' }); return reply.redirect('/settings', 303);
 */
export function setFlash(reply: FastifyReply, flash: Flash): void {
  let json = JSON.stringify(flash);
  if (json.length > FLASH_MAX_JSON && flash.form)
    json = JSON.stringify({ ...flash, form: { ...flash.form, values: {} } });
  reply.setCookie(FLASH_COOKIE, json, { ...flashCookieOptions(reply), maxAge: 60 });
}

export function clearFlash(request: FastifyRequest, reply: FastifyReply): void {
  if (request.cookies[FLASH_COOKIE] !== undefined) reply.clearCookie(FLASH_COOKIE, flashCookieOptions(reply));
}

/** The session cookie's rule: `Secure` unless WAYMARK_INSECURE_COOKIES is set (plain-HTTP development). */
function flashCookieOptions(reply: FastifyReply) {
  return {
    path: '/',
    httpOnly: true,
    secure: reply.server.config.secureCookies,
    sameSite: 'lax' as const,
  };
}

/**
 * A same-site path to send the visitor back to; anything else (other hosts, `//evil`) becomes `fallback`.
 * Only printable ASCII passes: a Location header cannot carry other characters (Node refuses them
 * after the work is done, which once answered 500 to a sign-up that had succeeded), and every
 * path Waymark itself puts in a form is already percent-encoded.
 */
export function safeReturnPath(value: unknown, fallback = '/'): string {
  if (
    typeof value !== 'string' ||
    !value.startsWith('/') ||
    value.startsWith('//') ||
    value.startsWith('/\\')
  )
    return fallback;
  if (value.length > 500 || /[^\u0020-\u007e]/.test(value)) return fallback;
  return value;
}
