import { announce, hasModifier, isTyping, showError } from '../../web/client/lib/dom.js';

// The review page's island. The page works without it (every step is a form); with it, the keys
// Space (show answer), A–F (pick a choice) and 1–4 (rate) drive those same forms, and each step
// replaces #review-session in place instead of reloading, moving focus to the new question or answer.

const SESSION_ID = 'review-session';
let busy = false;

function currentSession(): HTMLElement | null {
  return document.getElementById(SESSION_ID);
}

/** Carries the session count into the settings form, which lives outside the swapped part. */
function syncDoneField(url: string): void {
  const done = new URL(url, location.href).searchParams.get('done');
  const form = document.querySelector<HTMLFormElement>('form[action="/review/settings"]');
  if (!form || !done) return;
  let field = form.querySelector<HTMLInputElement>('input[name="done"]');
  if (!field) {
    field = document.createElement('input');
    field.type = 'hidden';
    field.name = 'done';
    form.prepend(field);
  }
  field.value = done;
}

/** Shows the flash message the server left for the fetched page (e.g. "that card was already rated"). */
function syncFlash(next: Document): void {
  const messages = document.querySelector('.messages');
  if (!messages) return;
  for (const old of messages.querySelectorAll('.flash')) old.remove();
  for (const flash of next.querySelectorAll('.messages .flash'))
    messages.prepend(document.importNode(flash, true));
}

/** Fetches the next step as a whole page and swaps in its session part. False when that was not possible. */
async function swapTo(url: string, init: RequestInit): Promise<boolean> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, credentials: 'same-origin', headers: { accept: 'text/html' } });
  } catch {
    showError('Waymark could not be reached. Check your connection and try again.');
    return true;
  }
  if (!response.ok) return false;
  const next = new DOMParser().parseFromString(await response.text(), 'text/html');
  const fresh = next.getElementById(SESSION_ID);
  const current = currentSession();
  if (!fresh || !current) return false;
  current.replaceWith(document.importNode(fresh, true));
  syncFlash(next);
  history.replaceState(null, '', response.url);
  document.title = next.title;
  syncDoneField(response.url);
  const session = currentSession();
  session?.querySelector<HTMLElement>('[data-review-focus]')?.focus();
  const said = [
    session?.querySelector('[data-review-announce]')?.textContent,
    session?.querySelector('.review-verdict')?.textContent,
  ];
  announce(said.filter(Boolean).join(' ').trim());
  return true;
}

function enhanceForms(): void {
  document.addEventListener('submit', (event) => {
    const form = event.target;
    if (
      !(form instanceof HTMLFormElement) ||
      !form.closest(`#${SESSION_ID}`) ||
      form.dataset.native === 'true'
    )
      return;
    event.preventDefault();
    if (busy) return;
    const submitter = event.submitter instanceof HTMLButtonElement ? event.submitter : null;
    const params = new URLSearchParams();
    for (const [name, value] of new FormData(form, submitter))
      if (typeof value === 'string') params.append(name, value);
    const post = form.method.toLowerCase() === 'post';
    const url = post ? form.action : `${form.action}?${params.toString()}`;
    busy = true;
    currentSession()?.setAttribute('aria-busy', 'true');
    void swapTo(url, post ? { method: 'POST', body: params } : { method: 'GET' })
      .then((swapped) => {
        if (swapped) return;
        // Let the browser do it the no-JavaScript way (it will show the error page if there is one).
        form.dataset.native = 'true';
        form.requestSubmit(submitter);
      })
      .finally(() => {
        busy = false;
        currentSession()?.removeAttribute('aria-busy');
      });
  });
}

function enhanceKeys(): void {
  document.addEventListener('keydown', (event) => {
    if (event.repeat || isTyping(event) || hasModifier(event)) return;
    if ((document.getElementById('shortcuts') as HTMLDialogElement | null)?.open) return;
    const session = currentSession();
    if (!session) return;
    let target: HTMLElement | null = null;
    if (event.key === ' ') {
      // Space on a focused button or link keeps its usual meaning.
      if ((event.target as HTMLElement | null)?.closest('button, a, summary, input, select, textarea'))
        return;
      target = session.querySelector('[data-review-reveal]');
    } else if (/^[1-4]$/.test(event.key)) {
      target = session.querySelector(`[data-review-rating="${event.key}"]`);
    } else if (/^[a-f]$/i.test(event.key)) {
      target = session.querySelector(`[data-review-choice="${event.key.toUpperCase()}"]`);
    }
    if (!target) return;
    event.preventDefault();
    target.click();
  });
}

enhanceForms();
enhanceKeys();
