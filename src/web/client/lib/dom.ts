// Helpers shared by the client islands. Not an entry itself (only files directly in client/ are).

/** Says something to screen-reader users through the page's polite live region. */
export function announce(text: string): void {
  const region = document.getElementById('announcer');
  if (!region) return;
  // Clearing first makes a repeated message ("Saved") be read again.
  region.textContent = '';
  window.setTimeout(() => (region.textContent = text), 30);
}

let errorTimer: number | undefined;
/** Shows a visible error message (role="alert", so it is also read out) for a few seconds. */
export function showError(text: string): void {
  const toast = document.getElementById('error-announcer');
  if (!toast) return;
  toast.textContent = text;
  toast.hidden = false;
  window.clearTimeout(errorTimer);
  errorTimer = window.setTimeout(() => (toast.hidden = true), 8000);
}

export interface Problem {
  status: number;
  code: string;
  title: string;
  detail: string;
  errors?: { pointer: string; message: string }[];
}

export type ApiResult<T> =
  { ok: true; status: number; data: T } | { ok: false; status: number; problem: Problem };

/**
 * Calls Waymark's JSON API from the page (same origin, so the session cookie and the Origin header go
 * along). Network failures and non-JSON answers become a problem too, so callers handle one shape.
 */
export async function api<T = unknown>(method: string, url: string, body?: unknown): Promise<ApiResult<T>> {
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      credentials: 'same-origin',
      headers: {
        accept: 'application/json',
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  } catch {
    return {
      ok: false,
      status: 0,
      problem: {
        status: 0,
        code: 'network',
        title: 'Offline',
        detail: 'Waymark could not be reached. Check your connection and try again.',
      },
    };
  }
  const text = await response.text();
  let data: unknown = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (response.ok) return { ok: true, status: response.status, data: data as T };
  const problem = (data ?? {}) as Partial<Problem>;
  return {
    ok: false,
    status: response.status,
    problem: {
      status: response.status,
      code: problem.code ?? 'error',
      title: problem.title ?? 'Request failed',
      detail: problem.detail ?? `The server answered ${response.status}. Try again.`,
      ...(problem.errors ? { errors: problem.errors } : {}),
    },
  };
}

/** True while the user types in a field, when single-key shortcuts must stay out of the way. */
export function isTyping(event: KeyboardEvent): boolean {
  const target = event.target as HTMLElement | null;
  if (!target) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') {
    const type = (target as HTMLInputElement).type;
    return !['checkbox', 'radio', 'button', 'submit', 'reset'].includes(type);
  }
  return false;
}

export function hasModifier(event: KeyboardEvent): boolean {
  return event.ctrlKey || event.metaKey || event.altKey;
}
