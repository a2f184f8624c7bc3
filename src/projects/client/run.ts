import { announce } from '../../web/client/lib/dom.js';
import type { CheckView } from '../projects.presenter.js';

// The run island on a project page: while a run is queued or running it listens to the run's event
// stream and shows each check's result as it completes, then swaps in the finished page's run panel,
// evidence and history. Without JavaScript the page refreshes itself instead (a <noscript> refresh).

/** A `check` event's data: the API's check view (what the island shows of it). */
type Check = Omit<CheckView, 'requestExcerpt' | 'responseExcerpt'>;
interface RunState {
  state: string;
  summary: { total: number; passed: number; failed: number };
}

const FINAL = new Set(['passed', 'failed', 'errored', 'interrupted']);

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** The same markup as the server's CheckItem (without the excerpts, which the final swap brings). */
function renderCheck(check: Check): HTMLLIElement {
  const item = element('li', `check ${check.passed ? 'check-passed' : 'check-failed'}`);
  item.dataset.checkIndex = String(check.index);
  const head = element('p', 'check-head');
  const badge = element('span', `badge ${check.passed ? 's-done' : 'run-bad'}`);
  badge.append(element('span', 'badge-word', check.passed ? 'Passed' : 'Failed'));
  head.append(badge, ' ', element('strong', undefined, check.name));
  const meta = element('p', 'check-meta muted');
  meta.append(
    element('code', undefined, `${check.method} ${check.url}`),
    ` → ${check.status === null ? 'no response' : `HTTP ${check.status}`} in ${check.durationMs} ms`,
  );
  item.append(head, meta);
  if (check.error) item.append(element('p', 'check-error', check.error));
  const failed = check.assertions.filter((a) => !a.passed);
  if (failed.length > 0) {
    const list = element('ul', 'check-assertions');
    for (const a of failed) list.append(element('li', undefined, a.error ? `${a.name}: ${a.error}` : a.name));
    item.append(list);
  }
  return item;
}

/** Replaces the run panel, evidence and history with the finished page's. */
async function swapFinished(): Promise<void> {
  const response = await fetch(location.href, {
    credentials: 'same-origin',
    headers: { accept: 'text/html' },
  });
  if (!response.ok) return;
  const next = new DOMParser().parseFromString(await response.text(), 'text/html');
  for (const selector of ['#run-panel', '#evidence', '.run-history']) {
    const fresh = next.querySelector(selector);
    const current = document.querySelector(selector);
    if (fresh && current) current.replaceWith(document.importNode(fresh, true));
    else if (fresh && selector === '#evidence')
      document.querySelector('.project-side')?.append(document.importNode(fresh, true));
  }
}

function start(panel: HTMLElement): void {
  const { runId, projectId } = panel.dataset;
  if (!runId || !projectId || FINAL.has(panel.dataset.runState ?? '')) return;
  panel.querySelector('[data-no-js-hint]')?.remove();
  const list = panel.querySelector<HTMLOListElement>('#run-checks');
  const summary = panel.querySelector<HTMLElement>('#run-summary');
  const source = new EventSource(`/api/v1/projects/${projectId}/runs/${runId}/events`);
  source.addEventListener('check', (event) => {
    const check = JSON.parse((event as MessageEvent<string>).data) as Check;
    const item = renderCheck(check);
    const existing = list?.querySelector(`[data-check-index="${check.index}"]`);
    if (existing) existing.replaceWith(item);
    else list?.append(item);
    if (summary) summary.textContent = `${list?.children.length ?? 0} checks done so far…`;
  });
  source.addEventListener('state', (event) => {
    const run = JSON.parse((event as MessageEvent<string>).data) as RunState;
    panel.dataset.runState = run.state;
    if (!FINAL.has(run.state)) return;
    source.close();
    announce(`Run ${run.state}: ${run.summary.passed} of ${run.summary.total} checks passed.`);
    void swapFinished();
  });
}

const panel = document.getElementById('run-panel');
if (panel) start(panel);
