import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren, VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { clientEntry, inlineStyle } from './assets.js';
import { Icon } from './components/icons.js';
import { clearFlash, FLASH_COOKIE, themeOf, type Flash, type PageUser, type Theme } from './page-context.js';
import { sendCached } from '../http/cached-response.js';
import type { DayStamp } from '../http/response-cache.js';

export {
  pageContext,
  setFlash,
  safeReturnPath,
  type PageContext,
  type PageUser,
  type Theme,
  type Flash,
} from './page-context.js';

/** The sections of the top navigation; pages pass theirs as `active`. */
export type NavSection =
  'home' | 'roadmaps' | 'plan' | 'dashboard' | 'review' | 'projects' | 'cohorts' | 'settings' | 'account';

/** A link in the top navigation, declared by a feature's manifest (`nav` in src/features.ts). */
export interface NavEntry {
  section: NavSection;
  href: string;
  label: string;
  /** Lower comes first. */
  order: number;
}

export interface LayoutProps {
  /** The page's own title; " · Waymark" is appended. */
  title: string;
  user: PageUser | null;
  theme: Theme;
  active?: NavSection | null;
  /** The top navigation of the installed features, in order (from `pageContext`). */
  nav: readonly NavEntry[];
  children: ComponentChildren;
  /** Client islands to load, by entry name (`src/plan/client/plan.ts` is "plan/plan"). "web/app" always loads. */
  scripts?: string[];
  /** Extra stylesheets by entry name (`src/plan/client/plan.css` is "plan/plan"). "web/waymark" always loads. */
  styles?: string[];
  /** A one-time message from the previous form post (see `pageContext`). */
  flash?: Flash | null;
  /** This page's path, so the theme toggle works without JavaScript. */
  path?: string;
  /** `<meta name="description">`. */
  description?: string;
  /** A class for `<body>`, e.g. "page-roadmap" for page-specific layout rules. */
  bodyClass?: string;
  /** The keys this page answers to, listed by "?" (every page adds "?" and Esc). */
  shortcuts?: ShortcutRow[];
  /**
   * A stylesheet entry (e.g. "web/critical") carried inline in `<head>`, so the first paint waits for no
   * other request; the page's own stylesheets then load without blocking it (client/lib/detail.ts adds
   * them; without JavaScript a `<noscript>` link does). The route must allow it with {@link allowInlineStyles}.
   */
  firstPaintStyles?: string;
}

/** One line of the "?" list: the keys as shown, and what they do. */
export type ShortcutRow = [keys: string, action: string];

/** The roadmap and topic pages' keys. */
export const ROADMAP_SHORTCUTS: ShortcutRow[] = [
  ['/', 'Search topics'],
  ['← ↑ → ↓', 'Move to the nearest diagram node in that direction'],
  ['Home / End', 'First / last node of the diagram'],
  ['Enter', 'Open the focused topic'],
  ['d', 'Mark the open topic done'],
  ['l', 'Mark it learning'],
  ['s', 'Skip it'],
  ['r', 'Reset it to not started'],
  ['Esc', 'Close the topic panel'],
];

/** The stylesheets a page with these islands and styles loads, in order. */
function stylesheetsOf(scripts: string[], styles: string[]): Set<string> {
  const css = new Set<string>();
  for (const name of ['web/waymark', ...styles]) for (const href of clientEntry(name).styles) css.add(href);
  for (const name of ['web/app', ...scripts]) for (const href of clientEntry(name).styles) css.add(href);
  return css;
}

/**
 * Allows a page's inlined first-paint stylesheet (`<Layout firstPaintStyles=…>`) in this response's
 * Content-Security-Policy, by its hash; nothing else inline is allowed.
 */
export function allowInlineStyles(reply: FastifyReply, entry: string): void {
  const policy = reply.getHeader('content-security-policy');
  if (typeof policy !== 'string') return;
  const hashes = clientEntry(entry).styles.flatMap((href) => inlineStyle(href)?.hash ?? []);
  if (hashes.length === 0) return;
  reply.header(
    'content-security-policy',
    policy.replace(
      /style-src ([^;]*)/,
      (_all, sources: string) => `style-src ${sources} ${hashes.join(' ')}`,
    ),
  );
}

function assetTags(scripts: string[], styles: string[], firstPaint: string | undefined) {
  const css = [...stylesheetsOf(scripts, styles)];
  const inline = firstPaint ? clientEntry(firstPaint).styles.map((href) => inlineStyle(href)?.css) : [];
  const preloads = new Set<string>();
  const modules: string[] = [];
  for (const name of ['web/app', ...scripts]) {
    const entry = clientEntry(name);
    for (const href of entry.preloads) preloads.add(href);
    if (entry.script) modules.push(entry.script);
  }
  return (
    <>
      {inline.length > 0 && inline.every((text) => text !== undefined) ? (
        <>
          {inline.map((text, index) => (
            <style key={index} dangerouslySetInnerHTML={{ __html: text ?? '' }} />
          ))}
          {css.map((href) => (
            <link rel="preload" as="style" href={href} data-stylesheet="" key={href} />
          ))}
          <noscript>
            {css.map((href) => (
              <link rel="stylesheet" href={href} key={href} />
            ))}
          </noscript>
        </>
      ) : (
        css.map((href) => <link rel="stylesheet" href={href} key={href} />)
      )}
      {[...preloads].map((href) => (
        <link rel="modulepreload" href={href} key={href} />
      ))}
      {modules.map((src) => (
        <script type="module" src={src} key={src} />
      ))}
    </>
  );
}

function AccountLinks({ user }: { user: PageUser | null }) {
  if (user && !user.isGuest) {
    return (
      <form
        method="post"
        action="/logout"
        class="account-form"
        data-api="POST /api/v1/auth/logout"
        data-then="go:/"
      >
        <span class="account-email" title={user.email ?? ''}>
          {user.email}
        </span>
        <button type="submit" class="button button-quiet">
          Log out
        </button>
      </form>
    );
  }
  return (
    <div class="account-links">
      {user?.isGuest ? <span class="guest-badge">Guest</span> : null}
      <a href="/login">Log in</a>
      <a href="/signup" class="button button-small">
        Sign up
      </a>
    </div>
  );
}

const THEME_CHOICES: readonly [Theme, string][] = [
  ['system', 'Follow the system'],
  ['light', 'Light'],
  ['dark', 'Dark'],
];

/**
 * The colour theme: light, dark, or following the system (the default). A disclosure with three submit
 * buttons, so it works without JavaScript; the summary's icon (sun or moon, chosen by CSS) shows what is
 * on screen now, also when the server only knows "follow the system".
 */
function ThemeMenu({ path, theme }: { path: string; theme: Theme }) {
  return (
    <details class="menu theme-menu" data-island="theme">
      <summary class="icon-button" title="Colour theme">
        <Icon name="sun" class="when-light" />
        <Icon name="moon" class="when-dark" />
        <span class="visually-hidden">Colour theme</span>
      </summary>
      <form method="post" action="/preferences/theme" class="menu-panel theme-form">
        <input type="hidden" name="return" value={path} />
        {THEME_CHOICES.map(([value, label]) => (
          <button
            key={value}
            type="submit"
            name="theme"
            value={value}
            class="menu-item"
            aria-pressed={theme === value ? 'true' : 'false'}
          >
            {label}
          </button>
        ))}
      </form>
    </details>
  );
}

function NavLinks({ nav, active }: { nav: readonly NavEntry[]; active: NavSection | null | undefined }) {
  return (
    <ul>
      {nav.map((item) => (
        <li key={item.href}>
          <a href={item.href} aria-current={item.section === active ? 'page' : undefined}>
            {item.label}
          </a>
        </li>
      ))}
    </ul>
  );
}

/**
 * The page frame every Waymark page shares: skip link, top navigation, theme toggle, account links,
 * flash message, live region for status messages, keyboard-shortcut help, footer.
 *
 * @example
 * sendPage(reply, request,
 *   <Layout {...pageContext(request)} title="Your plan" active="plan" scripts={['plan/plan']}>
 *     <h1>Your plan</h1>
 *   </Layout>);
 */
export function Layout(props: LayoutProps): VNode {
  const { title, user, theme, active, children, flash, path = '/' } = props;
  const themeClass = theme === 'system' ? undefined : `theme-${theme}`;
  return (
    <html lang="en" class={themeClass}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · Waymark`}</title>
        {props.description ? <meta name="description" content={props.description} /> : null}
        <meta name="color-scheme" content={theme === 'system' ? 'light dark' : theme} />
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
        {assetTags(props.scripts ?? [], props.styles ?? [], props.firstPaintStyles)}
      </head>
      {/* data-live: the visitor has a session, so the page may listen to /api/v1/events. */}
      <body class={props.bodyClass} data-live={user ? '' : undefined}>
        <a class="skip-link" href="#main">
          Skip to content
        </a>
        <header class="site-header">
          <div class="header-inner">
            <a href="/" class="brand">
              <Icon name="logo" />
              <span>Waymark</span>
            </a>
            {/* Wide screens: the links in a row. Phones: the same links behind a "Menu" disclosure, so
                the header stays one row (works without JavaScript). */}
            <nav aria-label="Main" class="main-nav">
              <NavLinks nav={props.nav} active={active} />
            </nav>
            <details class="menu nav-menu">
              <summary class="menu-button">
                <Icon name="menu" /> Menu
              </summary>
              <nav aria-label="Main" class="menu-panel">
                <NavLinks nav={props.nav} active={active} />
              </nav>
            </details>
            <div class="header-tools">
              <ThemeMenu path={path} theme={theme} />
              <AccountLinks user={user} />
            </div>
          </div>
        </header>
        <div class="messages">
          {flash ? (
            <p class={`flash flash-${flash.kind}`} role={flash.kind === 'error' ? 'alert' : 'status'}>
              {flash.text}
            </p>
          ) : null}
          <p id="announcer" class="visually-hidden" aria-live="polite" aria-atomic="true"></p>
          <p id="error-announcer" class="toast toast-error" role="alert" hidden></p>
        </div>
        <main id="main" tabIndex={-1}>
          {children}
        </main>
        <footer class="site-footer">
          <p>
            Waymark — a self-hosted learning roadmap. <a href="/api/docs">API</a> · Press <kbd>?</kbd> for
            keyboard shortcuts.
          </p>
        </footer>
        <ShortcutHelp rows={props.shortcuts ?? []} />
      </body>
    </html>
  );
}

function ShortcutHelp({ rows: pageRows }: { rows: ShortcutRow[] }) {
  const rows: ShortcutRow[] = [['?', 'Show or hide this list'], ...pageRows, ['Esc', 'Close this list']];
  return (
    <dialog id="shortcuts" class="dialog" aria-labelledby="shortcuts-title">
      <h2 id="shortcuts-title">Keyboard shortcuts</h2>
      {pageRows.length === 0 ? (
        <p class="muted">This page has no keys of its own; Tab and Enter reach everything.</p>
      ) : null}
      <dl class="shortcut-list">
        {rows.map(([keys, action]) => (
          <div key={keys}>
            <dt>
              <kbd>{keys}</kbd>
            </dt>
            <dd>{action}</dd>
          </div>
        ))}
      </dl>
      <form method="dialog">
        <button class="button" type="submit">
          Close
        </button>
      </form>
    </dialog>
  );
}

/**
 * Renders a page (usually a `<Layout>`) as a complete HTML document and sends it. Pages hold the
 * visitor's own data, so they are private and revalidated on every visit.
 *
 * @example return sendPage(reply, request, <Layout …>…</Layout>, { status: 404 });
 */
export function sendPage(
  reply: FastifyReply,
  request: FastifyRequest,
  page: VNode,
  options: { status?: number; headers?: Record<string, string> } = {},
): FastifyReply {
  clearFlash(request, reply);
  reply
    .code(options.status ?? 200)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'private, no-cache')
    .header('vary', 'Cookie');
  for (const [name, value] of Object.entries(options.headers ?? {})) reply.header(name, value);
  return reply.send(`<!doctype html>${renderToString(page)}`);
}

/**
 * {@link sendPage} for a page that is the same for the same user, data version, content, address,
 * theme and (when `day` is given) calendar day: answered from the response cache, compressed once
 * per coding, with an `ETag`. A page carrying a one-time flash message is always rendered afresh.
 *
 * @example return sendCachedPage(app, request, reply, async () => ({ page: <PlanPage …/>, day: { timeZone, today } }));
 */
export async function sendCachedPage(
  app: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
  build: () => Promise<{ page: VNode; day?: DayStamp | null }>,
): Promise<FastifyReply> {
  if (request.cookies[FLASH_COOKIE] !== undefined) return sendPage(reply, request, (await build()).page);
  return sendCached(app, request, reply, {
    key: `page\u0000${request.url}\u0000${themeOf(request)}`,
    type: 'text/html; charset=utf-8',
    compress: true,
    headers: { 'cache-control': 'private, no-cache', vary: 'Cookie, Accept-Encoding' },
    build: async () => {
      const { page, day } = await build();
      return { text: `<!doctype html>${renderToString(page)}`, day: day ?? null };
    },
  });
}

/** Renders a fragment (no document around it), for client islands that fetch a piece of a page. */
export function sendFragment(
  reply: FastifyReply,
  fragment: VNode,
  options: { status?: number } = {},
): FastifyReply {
  return reply
    .code(options.status ?? 200)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'private, no-cache')
    .header('vary', 'Cookie')
    .send(renderToString(fragment));
}
