import { enhanceApiForms } from './lib/api-form.js';
import { announce, hasModifier, isTyping } from './lib/dom.js';
import { debounce, subscribe } from './lib/live.js';

// Loaded on every page: the remembered theme toggle, the "?" shortcut list, and JSON-API forms.

const THEME_COOKIE = 'waymark_theme';
const YEAR_SECONDS = 365 * 86_400;

type Theme = 'system' | 'light' | 'dark';
const THEME_WORDS: Record<Theme, string> = {
  system: 'Colours follow the system',
  light: 'Light mode on',
  dark: 'Dark mode on',
};

/** Applies a theme at once and remembers it (no cookie: follow the system, the default). */
function setTheme(theme: Theme): void {
  const root = document.documentElement;
  root.classList.remove('theme-light', 'theme-dark');
  if (theme !== 'system') root.classList.add(`theme-${theme}`);
  document
    .querySelector('meta[name="color-scheme"]')
    ?.setAttribute('content', theme === 'system' ? 'light dark' : theme);
  const secure = location.protocol === 'https:' ? '; secure' : '';
  const maxAge = theme === 'system' ? 0 : YEAR_SECONDS;
  document.cookie = `${THEME_COOKIE}=${theme}; path=/; max-age=${maxAge}; samesite=lax${secure}`;
}

function enhanceThemeMenu(): void {
  const menu = document.querySelector<HTMLDetailsElement>('details[data-island="theme"]');
  const form = menu?.querySelector('form');
  if (!menu || !form) return;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const value = (event.submitter as HTMLButtonElement | null)?.value;
    const theme: Theme = value === 'light' || value === 'dark' ? value : 'system';
    setTheme(theme);
    for (const button of Array.from(form.querySelectorAll<HTMLButtonElement>('button[name="theme"]')))
      button.setAttribute('aria-pressed', String(button.value === theme));
    menu.open = false;
    menu.querySelector('summary')?.focus();
    announce(THEME_WORDS[theme]);
  });
}

/** Header menus (navigation on a phone, theme): Escape or a click elsewhere closes an open one. */
function enhanceMenus(): void {
  const menus = () => Array.from(document.querySelectorAll<HTMLDetailsElement>('details.menu[open]'));
  document.addEventListener('click', (event) => {
    for (const menu of menus()) if (!menu.contains(event.target as Node)) menu.open = false;
  });
  document.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape') return;
    for (const menu of menus()) {
      if (!menu.contains(document.activeElement)) continue;
      menu.open = false;
      menu.querySelector('summary')?.focus();
      event.preventDefault();
    }
  });
}

function enhanceShortcutHelp(): void {
  const dialog = document.getElementById('shortcuts') as HTMLDialogElement | null;
  if (!dialog) return;
  document.addEventListener('keydown', (event) => {
    if (event.key !== '?' || isTyping(event) || event.ctrlKey || event.metaKey || event.altKey) return;
    event.preventDefault();
    if (dialog.open) dialog.close();
    else dialog.showModal();
  });
  dialog.addEventListener('click', (event) => {
    if (event.target === dialog) dialog.close();
  });
}

function enhanceSearchShortcut(): void {
  document.addEventListener('keydown', (event) => {
    if (event.key !== '/' || isTyping(event) || hasModifier(event)) return;
    const search = document.querySelector<HTMLInputElement>('input[type="search"]');
    if (!search) return;
    event.preventDefault();
    search.focus();
    search.select();
  });
}

/**
 * Live sync for pages without their own (the roadmap and topic pages repaint statuses themselves):
 * when this visitor's data changes elsewhere, the page's main content is fetched again and swapped
 * in — unless the visitor is busy here (typing, a dialog open, or they acted in the last few seconds,
 * which is then the change being announced).
 */
function enhanceLiveSync(): void {
  // Pages with a stream of their own: the roadmap and topic pages, the mentor's live cohort table.
  if (document.querySelector('.roadmap-page, article.topic, [data-cohort-events]')) return;
  let lastLocalAction = 0;
  for (const type of ['submit', 'click', 'keydown'])
    document.addEventListener(type, () => (lastLocalAction = Date.now()), true);
  const refresh = debounce(async () => {
    const active = document.activeElement;
    const busy =
      Date.now() - lastLocalAction < 3000 ||
      document.querySelector('dialog[open]') ||
      (active instanceof HTMLElement && active.matches('input, textarea, select, [contenteditable]'));
    if (busy) return;
    const response = await fetch(window.location.href, {
      credentials: 'same-origin',
      headers: { accept: 'text/html' },
    }).catch(() => null);
    if (!response?.ok) return;
    const next = new DOMParser().parseFromString(await response.text(), 'text/html').querySelector('main');
    const main = document.querySelector('main');
    if (!next || !main || next.innerHTML === main.innerHTML) return;
    main.innerHTML = next.innerHTML;
    announce('Updated with changes from another tab or device.');
  }, 300);
  subscribe(() => refresh());
}

/**
 * Plain forms that post and load the next page (sign-up, log-in, settings…): the pressed button shows
 * it is working and a second press does not send the form twice. The button is not disabled (a disabled
 * submitter would drop its name and value from the form); the state is cleared when the page is shown
 * again from the back/forward cache.
 */
function enhancePlainForms(): void {
  document.addEventListener('submit', (event) => {
    const form = event.target as HTMLFormElement;
    if (form.dataset.api !== undefined || form.method.toLowerCase() !== 'post') return;
    if (form.getAttribute('aria-busy') === 'true') {
      event.preventDefault();
      return;
    }
    const submitter = event.submitter as HTMLElement | null;
    // After every other listener: forms an island sends itself (it cancels the event) are left alone.
    setTimeout(() => {
      if (event.defaultPrevented) return;
      form.setAttribute('aria-busy', 'true');
      submitter?.classList.add('is-busy');
    }, 0);
  });
  window.addEventListener('pageshow', () => {
    for (const form of Array.from(document.querySelectorAll('form[aria-busy="true"]'))) {
      form.removeAttribute('aria-busy');
      for (const button of Array.from(form.querySelectorAll('.is-busy'))) button.classList.remove('is-busy');
    }
  });
}

enhanceThemeMenu();
enhancePlainForms();
enhanceMenus();
enhanceShortcutHelp();
enhanceSearchShortcut();
enhanceApiForms();
enhanceLiveSync();
