import { api, showError } from './dom.js';

// The note editor: saves by itself a second after typing stops (and when the field loses focus or the
// page is left), shows "Unsaved changes" / "Saving…" / "Saved", counts characters against the limit
// (a note over it is refused with a sentence saying by how much, never cut), and refreshes the
// formatted preview.

const SAVE_DELAY_MS = 1000;
const timers = new Map<HTMLTextAreaElement, number>();
const lastSaved = new WeakMap<HTMLTextAreaElement, string>();

function noteField(target: EventTarget | null): HTMLTextAreaElement | null {
  return target instanceof HTMLTextAreaElement && target.form?.dataset.island === 'note' ? target : null;
}

function setIndicator(field: HTMLTextAreaElement, text: string, unsaved: boolean): void {
  const indicator = field.form?.querySelector<HTMLElement>('[data-note-status]');
  if (!indicator) return;
  indicator.textContent = text;
  indicator.classList.toggle('unsaved', unsaved);
}

const numberWord = (value: number) => value.toLocaleString('en');

function limitOf(field: HTMLTextAreaElement): number {
  return Number(field.dataset.maxLength) || Infinity;
}

/** Updates the counter; returns a sentence when the note is over the limit. */
function checkLength(field: HTMLTextAreaElement): string | null {
  const limit = limitOf(field);
  const length = field.value.length;
  const counter = field.form?.querySelector<HTMLElement>('[data-note-count]');
  if (counter) {
    counter.textContent = `${numberWord(length)} of ${numberWord(limit)} characters`;
    counter.classList.toggle('over', length > limit);
  }
  const over = length > limit;
  field.setAttribute('aria-invalid', String(over));
  if (!over) return null;
  return `Your note is ${numberWord(length)} characters long and notes can hold ${numberWord(limit)}. Remove ${numberWord(length - limit)} characters to save it; nothing was cut.`;
}

function topicOf(field: HTMLTextAreaElement): { topicId: string; roadmapId: string } | null {
  const article = field.closest<HTMLElement>('article.topic');
  return article?.dataset.topic && article.dataset.roadmap
    ? { topicId: article.dataset.topic, roadmapId: article.dataset.roadmap }
    : null;
}

async function refreshPreview(field: HTMLTextAreaElement, roadmapId: string, topicId: string): Promise<void> {
  const preview = field.closest('article.topic')?.querySelector('[data-note-preview]');
  if (!preview) return;
  const response = await fetch(`/roadmaps/${roadmapId}/topics/${encodeURIComponent(topicId)}?partial=note`, {
    credentials: 'same-origin',
  }).catch(() => null);
  if (response?.ok) preview.outerHTML = await response.text();
}

async function save(field: HTMLTextAreaElement): Promise<void> {
  window.clearTimeout(timers.get(field));
  timers.delete(field);
  const topic = topicOf(field);
  const value = field.value;
  if (!topic || value === (lastSaved.get(field) ?? field.defaultValue)) return;
  const tooLong = checkLength(field);
  if (tooLong) {
    setIndicator(field, `Not saved: ${tooLong}`, true);
    return;
  }
  setIndicator(field, 'Saving…', true);
  const result = await api('PUT', `/api/v1/topics/${encodeURIComponent(topic.topicId)}/note`, {
    note: value,
  });
  if (!result.ok) {
    setIndicator(field, `Not saved: ${result.problem.detail}`, true);
    showError(`Your note was not saved: ${result.problem.detail}`);
    return;
  }
  lastSaved.set(field, value);
  if (field.value === value) setIndicator(field, 'Saved', false);
  await refreshPreview(field, topic.roadmapId, topic.topicId);
}

/** Saves every note with unsaved changes now (before the panel changes topic or the page is left). */
export function flushNotes(): void {
  for (const field of Array.from(timers.keys())) {
    const topic = topicOf(field);
    window.clearTimeout(timers.get(field));
    timers.delete(field);
    if (!topic || field.value.length > limitOf(field)) continue;
    // keepalive lets the request finish even while the page unloads.
    void fetch(`/api/v1/topics/${encodeURIComponent(topic.topicId)}/note`, {
      method: 'PUT',
      keepalive: true,
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ note: field.value }),
    }).catch(() => undefined);
    lastSaved.set(field, field.value);
  }
}

export function initNotes(): void {
  document.addEventListener('input', (event) => {
    const field = noteField(event.target);
    if (!field) return;
    const tooLong = checkLength(field);
    window.clearTimeout(timers.get(field));
    if (tooLong) {
      timers.delete(field);
      setIndicator(field, `Not saved: ${tooLong}`, true);
      return;
    }
    setIndicator(field, 'Unsaved changes', true);
    timers.set(
      field,
      window.setTimeout(() => void save(field), SAVE_DELAY_MS),
    );
  });
  document.addEventListener('focusout', (event) => {
    const field = noteField(event.target);
    if (field && timers.has(field)) void save(field);
  });
  document.addEventListener('submit', (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || form.dataset.island !== 'note') return;
    event.preventDefault();
    const field = form.querySelector('textarea');
    if (field) {
      timers.set(field, 0);
      void save(field);
    }
  });
}
