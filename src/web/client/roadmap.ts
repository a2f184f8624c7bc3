import { ICON_PATHS } from '../components/icon-paths.js';
import { STATUS_ACTIONS, STATUS_WORD } from '../status.js';
import { announce, api, hasModifier, isTyping, showError } from './lib/dom.js';
import { initDiagram } from './lib/diagram-nav.js';
import { showDetail } from './lib/detail.js';
import { initNotes, flushNotes } from './lib/notes.js';
import { initSearch } from './lib/search.js';
import { debounce, subscribe } from './lib/live.js';
import { type Status, isStatus } from '../../progress/status.js';
import { countTopics, type StatusCounts } from '../../progress/count.js';

// The roadmap page and the topic page: status changes applied at once and rolled back with a message if
// the server refuses; key concepts; the side panel with its own URL; keyboard shortcuts (d l s r, Esc,
// arrows in the diagram). Everything here enhances server-rendered forms and links that work without it.

const page = document.querySelector<HTMLElement>('.roadmap-page');
const panel = document.querySelector<HTMLElement>('[data-panel]');
const body = document.getElementById('roadmap-body');
const roadmapId =
  page?.dataset.roadmap ?? document.querySelector<HTMLElement>('article.topic')?.dataset.roadmap ?? '';

// ---------------------------------------------------------------- painting a status everywhere it shows

function statusClass(element: Element, status: Status): void {
  for (const name of Array.from(element.classList)) if (name.startsWith('s-')) element.classList.remove(name);
  element.classList.add(`s-${status}`);
}

function paintBadge(badge: Element, status: Status): void {
  statusClass(badge, status);
  badge.querySelector('path')?.setAttribute('d', ICON_PATHS[status]);
  const word = badge.querySelector('.badge-word');
  if (word) word.textContent = STATUS_WORD[status];
}

function paintNode(node: Element, status: Status): void {
  statusClass(node, status);
  node.querySelector('use')?.setAttribute('href', `#i-${status}`);
  const word = node.querySelector('.word');
  if (word) word.textContent = STATUS_WORD[status];
}

function currentNodeStatus(element: Element): Status {
  const name = Array.from(element.classList)
    .find((c) => c.startsWith('s-'))
    ?.slice(2);
  return isStatus(name) ? name : 'pending';
}

function articleFor(topicId: string): HTMLElement | null {
  return document.querySelector<HTMLElement>(`article.topic[data-topic="${topicId}"]`);
}

/** The status the page currently shows for a topic. */
function shownStatus(topicId: string): Status {
  const article = articleFor(topicId);
  if (article && isStatus(article.dataset.status)) return article.dataset.status;
  const element = document.querySelector(`[data-topic="${topicId}"].node, li[data-topic="${topicId}"]`);
  return element ? currentNodeStatus(element) : 'pending';
}

function paint(topicId: string, status: Status): void {
  for (const node of Array.from(document.querySelectorAll(`a.node[data-topic="${topicId}"]`)))
    paintNode(node, status);
  for (const item of Array.from(document.querySelectorAll(`li[data-topic="${topicId}"]`))) {
    statusClass(item, status);
    const badge = item.querySelector('.badge');
    if (badge) paintBadge(badge, status);
  }
  const article = articleFor(topicId);
  if (article) {
    article.dataset.status = status;
    const badge = article.querySelector('.status-form legend .badge');
    if (badge) paintBadge(badge, status);
    for (const button of Array.from(article.querySelectorAll<HTMLButtonElement>('.status-button'))) {
      button.setAttribute('aria-pressed', String(button.value === status));
    }
  }
  for (const link of Array.from(document.querySelectorAll(`.prereqs a[data-topic-link="${topicId}"]`))) {
    statusClass(link, status);
    link.querySelector('path')?.setAttribute('d', ICON_PATHS[status]);
    const hiddenWord = link.querySelector('.visually-hidden');
    if (hiddenWord) hiddenWord.textContent = `, ${STATUS_WORD[status]}`;
  }
  updateCounts();
}

/** List entries as the shared count sees them: status, "choose one of" set and whether it was chosen. */
function countEntries(items: Element[]): StatusCounts {
  return countTopics(
    items.map((item) => ({
      status: currentNodeStatus(item),
      set: item.getAttribute('data-set') ?? undefined,
      chosen: item.classList.contains('alt-chosen'),
    })),
  );
}

/** Recounts the progress bar and the per-step counts from the list view. */
function updateCounts(): void {
  const list = document.getElementById('list-view');
  if (!list) return;
  // The tools section repeats topics of the steps: counted once, in their step.
  const counts = countEntries(Array.from(list.querySelectorAll('li[data-topic]:not([data-tool])')));
  const values: Record<string, number> = { ...counts, finished: counts.done + counts.skipped };
  for (const element of Array.from(document.querySelectorAll<HTMLElement>('.roadmap-head [data-count]'))) {
    element.textContent = String(values[element.dataset.count ?? ''] ?? '');
  }
  const meter = document.querySelector<HTMLProgressElement>('.roadmap-head progress');
  if (meter) meter.value = counts.done + counts.skipped;
  for (const step of Array.from(list.querySelectorAll<HTMLElement>('.step-block[data-step]'))) {
    const stepCounts = countEntries(Array.from(step.querySelectorAll('li[data-topic]')));
    const text = `${stepCounts.done + stepCounts.skipped} of ${stepCounts.total} finished`;
    const label = step.querySelector(`[data-step-count]`);
    if (label) label.textContent = text;
    const overview = document.querySelector(`[data-step-overview="${step.dataset.step}"]`);
    if (overview) overview.textContent = text;
  }
  updateOverview(list);
}

/** The overview's group counts and bars, recounted from the list's groups. */
function updateOverview(list: HTMLElement): void {
  for (const chip of Array.from(document.querySelectorAll<HTMLAnchorElement>('a.ov-group'))) {
    const block = list.querySelector(`[id="${chip.hash.slice(1)}"]`);
    if (!block) continue;
    const items = Array.from(block.querySelectorAll('li[data-topic]'));
    const counts = countEntries(items);
    const finished = counts.done + counts.skipped;
    const optional = items.filter((item) => item.classList.contains('optional')).length;
    const count = chip.querySelector('.ov-count');
    if (count)
      count.textContent = `${finished} of ${counts.total} finished${optional ? `, ${optional} optional` : ''}`;
    for (const name of Array.from(chip.classList)) if (name.startsWith('ov-p')) chip.classList.remove(name);
    const tenth = counts.total ? Math.round((finished * 10) / counts.total) * 10 : 0;
    if (tenth > 0) chip.classList.add(`ov-p${tenth}`);
  }
}

// ---------------------------------------------------------------- changing status (optimistic)

const latestRequest = new Map<string, number>();
let requestCounter = 0;
/** Topics with a save in flight: live sync leaves them alone until it is answered. */
const saving = new Map<string, number>();

function titleOf(topicId: string): string {
  return (
    articleFor(topicId)?.dataset.title ??
    document.querySelector(`li[data-topic="${topicId}"] .topic-link`)?.firstChild?.textContent ??
    topicId
  );
}

async function setStatus(topicId: string, status: Status): Promise<void> {
  const before = shownStatus(topicId);
  const title = titleOf(topicId);
  if (before === status) {
    announce(`“${title}” is already ${STATUS_WORD[status].toLowerCase()}.`);
    return;
  }
  const ticket = ++requestCounter;
  latestRequest.set(topicId, ticket);
  paint(topicId, status);
  announce(`“${title}”: ${STATUS_WORD[status]}.`);
  saving.set(topicId, (saving.get(topicId) ?? 0) + 1);
  const result = await api('PUT', `/api/v1/topics/${encodeURIComponent(topicId)}/progress`, {
    status,
  }).finally(() => saving.set(topicId, (saving.get(topicId) ?? 1) - 1));
  if (result.ok || latestRequest.get(topicId) !== ticket) return;
  paint(topicId, before);
  showError(
    `Could not save “${title}” as ${STATUS_WORD[status].toLowerCase()}: ${result.problem.detail} It is back to ${STATUS_WORD[before].toLowerCase()}.`,
  );
}

async function toggleCheck(form: HTMLFormElement): Promise<void> {
  const article = form.closest<HTMLElement>('article.topic');
  const button = form.querySelector<HTMLButtonElement>('.check-button');
  const doneInput = form.querySelector<HTMLInputElement>('input[name="done"]');
  const item = form.querySelector<HTMLInputElement>('input[name="item"]')?.value;
  if (!article?.dataset.topic || !button || !doneInput || !item) return;
  const topicId = article.dataset.topic;
  const done = doneInput.value === '1';
  const paintCheck = (ticked: boolean) => {
    button.setAttribute('aria-pressed', String(ticked));
    doneInput.value = ticked ? '0' : '1';
  };
  paintCheck(done);
  const result = await api<{ status: Status }>(
    'PUT',
    `/api/v1/topics/${encodeURIComponent(topicId)}/checklist/${encodeURIComponent(item)}`,
    { done },
  );
  if (!result.ok) {
    paintCheck(!done);
    showError(`Could not save the key concept: ${result.problem.detail}`);
    return;
  }
  if (isStatus(result.data.status) && result.data.status !== shownStatus(topicId)) {
    paint(topicId, result.data.status);
    announce(`Ticked. “${titleOf(topicId)}” is now ${STATUS_WORD[result.data.status].toLowerCase()}.`);
  } else {
    announce(done ? 'Ticked.' : 'Unticked.');
  }
}

document.addEventListener('submit', (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement)) return;
  if (form.dataset.island === 'status') {
    event.preventDefault();
    const article = form.closest<HTMLElement>('article.topic');
    const status = (event.submitter as HTMLButtonElement | null)?.value;
    if (article?.dataset.topic && isStatus(status)) void setStatus(article.dataset.topic, status);
  } else if (form.dataset.island === 'check') {
    event.preventDefault();
    void toggleCheck(form);
  }
});

// ---------------------------------------------------------------- the side panel

let panelTopic: string | null = null;
let returnFocus: HTMLElement | null = null;
const roadmapUrl = () => `/roadmaps/${roadmapId}${window.location.search}`;

function markSelected(topicId: string | null): void {
  for (const element of Array.from(document.querySelectorAll('.node.selected, li.selected')))
    element.classList.remove('selected');
  if (!topicId) return;
  for (const element of Array.from(
    document.querySelectorAll(`a.node[data-topic="${topicId}"], #list-view li[data-topic="${topicId}"]`),
  )) {
    element.classList.add('selected');
  }
}

async function openPanel(topicId: string, invoker: HTMLElement | null, push = true): Promise<void> {
  if (!panel || !body) return;
  flushNotes();
  const url = `/roadmaps/${roadmapId}/topics/${encodeURIComponent(topicId)}`;
  let html: string;
  try {
    const response = await fetch(`${url}?partial=panel`, {
      credentials: 'same-origin',
      headers: { accept: 'text/html' },
    });
    if (!response.ok) throw new Error(String(response.status));
    html = await response.text();
  } catch {
    // The server-rendered topic page always works.
    window.location.assign(url);
    return;
  }
  returnFocus = invoker ?? returnFocus;
  panel.innerHTML = html;
  panel.hidden = false;
  body.classList.add('has-panel');
  panelTopic = topicId;
  markSelected(topicId);
  if (push) window.history.pushState({ topic: topicId }, '', url);
  document.title = `${panel.querySelector('#topic-title')?.textContent ?? ''} · Waymark`;
  panel.scrollTop = 0;
  panel.querySelector<HTMLElement>('#topic-title')?.focus();
}

function closePanel(push = true): void {
  if (!panel || !body || panel.hidden) return;
  flushNotes();
  const closing = panelTopic;
  panel.hidden = true;
  panel.innerHTML = '';
  body.classList.remove('has-panel');
  panelTopic = null;
  markSelected(null);
  if (push) window.history.pushState({}, '', roadmapUrl());
  document.title = initialTitle;
  const target = returnFocus?.isConnected
    ? returnFocus
    : closing
      ? document.querySelector<HTMLElement>(`a.node[data-topic="${closing}"]`)
      : null;
  target?.focus();
  returnFocus = null;
}

const initialTitle = document.title;

if (page && panel) {
  document.addEventListener('click', (event) => {
    if (
      event.defaultPrevented ||
      event.button !== 0 ||
      hasModifier(event as unknown as KeyboardEvent) ||
      (event as MouseEvent).shiftKey
    )
      return;
    const target = event.target as Element | null;
    if (target?.closest('[data-panel-close]')) {
      closePanel();
      return;
    }
    const link = target?.closest<HTMLElement>('a.node[data-topic], a[data-topic-link]');
    if (!link) return;
    const topicId = link.dataset.topic ?? link.dataset.topicLink;
    if (!topicId) return;
    event.preventDefault();
    void openPanel(topicId, panel.contains(link) ? returnFocus : link);
  });
  window.addEventListener('popstate', () => {
    const match = /\/topics\/([a-z0-9-]+)$/.exec(window.location.pathname);
    if (match?.[1]) void openPanel(match[1], null, false);
    else closePanel(false);
  });
}

// ---------------------------------------------------------------- keyboard shortcuts

document.addEventListener('keydown', (event) => {
  // Esc closes the panel even from the note field (the note is saved first).
  if (event.key === 'Escape' && panel && !panel.hidden && !document.querySelector('dialog[open]')) {
    event.preventDefault();
    closePanel();
    return;
  }
  if (isTyping(event) || hasModifier(event)) return;
  const action = STATUS_ACTIONS.find((a) => a.key === event.key);
  if (!action) return;
  const article =
    panel && !panel.hidden
      ? panel.querySelector<HTMLElement>('article.topic')
      : page
        ? null
        : document.querySelector<HTMLElement>('article.topic');
  if (!article?.dataset.topic) return;
  event.preventDefault();
  void setStatus(article.dataset.topic, action.status);
});

window.addEventListener('pagehide', () => flushNotes());

// ---------------------------------------------------------------- live sync with other tabs

interface ProgressAnswer {
  topics: { topicId: string; status: string; note: string }[];
}

/** Repaints every status (and an untouched note) from the server: another tab or device changed them. */
async function resync(attempt = 0): Promise<void> {
  if (!roadmapId) return;
  const response = await fetch(`/api/v1/roadmaps/${encodeURIComponent(roadmapId)}/progress`, {
    credentials: 'same-origin',
  }).catch(() => null);
  if (!response?.ok) {
    // Offline for a moment: the change must not be lost, so ask again a little later.
    if (attempt < 8) window.setTimeout(() => void resync(attempt + 1), 1000 * 2 ** Math.min(attempt, 4));
    return;
  }
  const { topics } = (await response.json()) as ProgressAnswer;
  const byId = new Map(topics.map((topic) => [topic.topicId, topic]));
  const shown = new Set(
    Array.from(
      document.querySelectorAll<HTMLElement>('a.node[data-topic], li[data-topic], article.topic'),
    ).map((element) => element.dataset.topic ?? ''),
  );
  for (const topicId of shown) {
    if (!topicId || (saving.get(topicId) ?? 0) > 0) continue;
    const status = byId.get(topicId)?.status ?? 'pending';
    if (isStatus(status) && status !== shownStatus(topicId)) paint(topicId, status);
  }
  for (const field of Array.from(
    document.querySelectorAll<HTMLTextAreaElement>('article.topic textarea[name="note"]'),
  )) {
    const topicId = field.closest<HTMLElement>('article.topic')?.dataset.topic ?? '';
    const note = byId.get(topicId)?.note ?? '';
    // Only a note the visitor is not editing here (unchanged since it was shown).
    if (document.activeElement !== field && field.value === field.defaultValue && note !== field.value) {
      field.value = note;
      field.defaultValue = note;
    }
  }
}

subscribe(debounce(() => void resync()));

initNotes();
if (page) {
  showDetail(page, () => {
    initDiagram(page);
    initSearch(page, roadmapId);
  });
}
