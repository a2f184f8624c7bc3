import { ICON_PATHS } from '../../components/icon-paths.js';
import { STATUS_WORD } from '../../status.js';
import { announce } from './dom.js';
import { type Status, isStatus } from '../../../progress/status.js';

// Search and status filter without reloading: the words go to the server's search index (the same one
// the no-JS ?q= page uses), the page hides list entries and fades diagram nodes that do not match.

interface SearchAnswer {
  topicIds: string[];
  topics: { id: string; title: string; summary: string }[];
}

const SVG_NS = 'http://www.w3.org/2000/svg';

function badge(status: Status): HTMLElement {
  const span = document.createElement('span');
  span.className = `badge s-${status}`;
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('class', 'icon');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  for (const [name, value] of [
    ['fill', 'none'],
    ['stroke', 'currentColor'],
    ['stroke-width', '2'],
    ['stroke-linecap', 'round'],
    ['stroke-linejoin', 'round'],
  ]) {
    svg.setAttribute(name as string, value as string);
  }
  const path = document.createElementNS(SVG_NS, 'path');
  path.setAttribute('d', ICON_PATHS[status]);
  svg.append(path);
  const word = document.createElement('span');
  word.className = 'badge-word';
  word.textContent = STATUS_WORD[status];
  span.append(svg, word);
  return span;
}

export function initSearch(page: HTMLElement, roadmapId: string): void {
  const form = page.querySelector<HTMLFormElement>('form[data-island="search"]');
  const input = form?.querySelector<HTMLInputElement>('input[type="search"]');
  const select = form?.querySelector<HTMLSelectElement>('select[name="status"]');
  const summary = page.querySelector<HTMLElement>('#search-summary');
  const results = page.querySelector<HTMLElement>('[data-search-results]');
  if (!form || !input || !select || !summary || !results) return;
  const list = results.querySelector<HTMLOListElement>('[data-results-list]');
  const allItems = Array.from(page.querySelectorAll<HTMLLIElement>('#list-view li[data-topic]'));
  // The tools section repeats topics of the steps: they are filtered too, but counted once.
  const total = allItems.filter((li) => li.dataset.tool === undefined).length;
  const statusOf = (id: string): Status => {
    const item = allItems.find((li) => li.dataset.topic === id);
    const name = Array.from(item?.classList ?? [])
      .find((c) => c.startsWith('s-'))
      ?.slice(2);
    return isStatus(name) ? name : 'pending';
  };

  let answer: SearchAnswer | null = null;
  let sequence = 0;

  const apply = () => {
    const filter = select.value;
    const matching = answer ? new Set(answer.topicIds) : null;
    const visible = (id: string) =>
      (!matching || matching.has(id)) && (filter === 'all' || statusOf(id) === filter);
    const filtering = matching !== null || filter !== 'all';
    let shown = 0;
    for (const item of allItems) {
      const show = visible(item.dataset.topic ?? '');
      if (show && item.dataset.tool === undefined) shown += 1;
      item.classList.toggle('filtered-out', !show);
    }
    for (const block of Array.from(
      page.querySelectorAll<HTMLElement>('#list-view .group-block, #list-view .step-block'),
    )) {
      block.hidden = !block.querySelector('li[data-topic]:not(.filtered-out)');
    }
    for (const node of Array.from(page.querySelectorAll<SVGElement>('a.node[data-topic]'))) {
      node.classList.toggle('dim', filtering && !visible(node.dataset.topic ?? ''));
    }
    summary.hidden = !filtering;
    summary.textContent = filtering ? `${shown} of ${total} topics match.` : '';
    results.hidden = answer === null;
    if (answer && list) {
      const query = results.querySelector('[data-results-query]');
      if (query) query.textContent = input.value.trim();
      const topics = answer.topics.filter((topic) => filter === 'all' || statusOf(topic.id) === filter);
      list.replaceChildren(
        ...topics.map((topic) => {
          const status = statusOf(topic.id);
          const item = document.createElement('li');
          item.className = `s-${status}`;
          item.dataset.topic = topic.id;
          const link = document.createElement('a');
          link.className = 'topic-link';
          link.href = `/roadmaps/${roadmapId}/topics/${topic.id}`;
          link.dataset.topicLink = topic.id;
          link.textContent = topic.title;
          const text = document.createElement('span');
          text.className = 'topic-summary';
          text.textContent = topic.summary;
          link.append(text);
          item.append(link, badge(status));
          return item;
        }),
      );
      const empty = results.querySelector<HTMLElement>('[data-results-empty]');
      if (empty) empty.hidden = topics.length > 0;
      else if (topics.length === 0) {
        const note = document.createElement('p');
        note.className = 'muted';
        note.dataset.resultsEmpty = '';
        note.textContent = 'No topic matches. Try a shorter word or clear the filter.';
        list.before(note);
      }
    }
    const url = new URL(window.location.href);
    const words = input.value.trim();
    if (words) url.searchParams.set('q', words);
    else url.searchParams.delete('q');
    if (filter !== 'all') url.searchParams.set('status', filter);
    else url.searchParams.delete('status');
    if (!/\/topics\//.test(url.pathname)) window.history.replaceState(window.history.state, '', url);
    return shown;
  };

  const search = async () => {
    const words = input.value.trim();
    const ticket = ++sequence;
    if (!words) {
      answer = null;
      apply();
      return;
    }
    const response = await fetch(`/roadmaps/${roadmapId}/search?q=${encodeURIComponent(words)}`, {
      headers: { accept: 'application/json' },
    }).catch(() => null);
    if (!response?.ok || ticket !== sequence) return;
    answer = (await response.json()) as SearchAnswer;
    const shown = apply();
    announce(`${shown} ${shown === 1 ? 'topic matches' : 'topics match'} “${words}”.`);
  };

  let timer: number | undefined;
  input.addEventListener('input', () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => void search(), 200);
  });
  select.addEventListener('change', () => {
    const shown = apply();
    announce(`${shown} topics shown.`);
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    window.clearTimeout(timer);
    void search();
  });
  if (input.value.trim()) void search();
}
