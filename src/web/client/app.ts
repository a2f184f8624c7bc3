import { enhanceApiForms } from './lib/api-form.js';
import { announce, hasModifier, isTyping } from './lib/dom.js';
import { debounce, subscribe } from './lib/live.js';

// Loaded on every page: the remembered theme toggle, the "?" shortcut list, and JSON-API forms.

const THEME_COOKIE = 'waymark_theme';
const YEAR_SECONDS = 365 * 86_400;

function setTheme(theme: 'light' | 'dark'): void {
  const root = document.documentElement;
  root.classList.remove('theme-light', 'theme-dark');
  root.classList.add(`theme-${theme}`);
  document.querySelector('meta[name="color-scheme"]')?.setAttribute('content', theme);
  const secure = location.protocol === 'https:' ? '; secure' : '';
  document.cookie = `${THEME_COOKIE}=${theme}; path=/; max-age=${YEAR_SECONDS}; samesite=lax${secure}`;
  try {
    localStorage.setItem(THEME_COOKIE, theme);
  } catch {
    // Storage may be disabled; the cookie alone is enough.
  }
}

function enhanceThemeToggle(): void {
  const form = document.querySelector<HTMLFormElement>('form[data-island="theme"]');
  if (!form) return;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const theme = (event.submitter as HTMLButtonElement | null)?.value === 'light' ? 'light' : 'dark';
    setTheme(theme);
    // The clicked button is hidden now; keep keyboard focus on the toggle.
    form.querySelector<HTMLButtonElement>(theme === 'dark' ? '.theme-to-light' : '.theme-to-dark')?.focus();
    announce(theme === 'dark' ? 'Dark mode on' : 'Light mode on');
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
  if (document.querySelector('.roadmap-page, article.topic')) return;
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

enhanceThemeToggle();
enhanceShortcutHelp();
enhanceSearchShortcut();
enhanceApiForms();
enhanceLiveSync();
