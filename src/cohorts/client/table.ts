import { announce } from '../../web/client/lib/dom.js';
import { debounce, listen } from '../../web/client/lib/live.js';

// The live cohort table. The page listens to the cohort's event stream (`learner` when a learner's
// summary changed, `members` when someone joined or left, `closed` when the mentor's access ended).
// After a burst of events it fetches this same page again — same sort, filters and page — and:
// - rows on screen whose content changed are updated in place (focus kept), briefly highlighted, and
//   named once through the polite live region ("Rows updated: Ada, Bo");
// - when the order or the set of learners on this page changed, the rows are NOT moved under the
//   mentor's eyes: a button offers the new order (a change of members is applied at once, so a learner
//   who left disappears);
// - after a reconnect the page is compared as a whole, since events were missed meanwhile.
// Without JavaScript the table is a plain table; reloading shows the latest.

const MAX_NAMES = 3;

const table = document.querySelector<HTMLTableElement>('table[data-cohort-events]');
if (table) start(table);

function rowsById(body: Element | null): Map<string, HTMLTableRowElement> {
  const rows = new Map<string, HTMLTableRowElement>();
  for (const row of Array.from(body?.querySelectorAll<HTMLTableRowElement>('tr[data-learner]') ?? []))
    rows.set(row.dataset.learner ?? '', row);
  return rows;
}

function learnerName(row: HTMLTableRowElement): string {
  return row.querySelector('th a')?.textContent?.trim() ?? 'a learner';
}

/** Replaces a row's cells with the fresh ones, keeping keyboard focus on the same link. */
function patchRow(row: HTMLTableRowElement, fresh: HTMLTableRowElement): void {
  const focused = document.activeElement;
  const focusHref = focused instanceof HTMLAnchorElement && row.contains(focused) ? focused.href : null;
  row.replaceChildren(...Array.from(fresh.childNodes).map((node) => document.importNode(node, true)));
  if (focusHref)
    Array.from(row.querySelectorAll('a'))
      .find((a) => a.href === focusHref)
      ?.focus();
  row.classList.remove('row-updated', 'row-settled');
  row.dataset.updated = String(Date.now());
  row.classList.add('row-updated');
  window.setTimeout(() => row.classList.add('row-settled'), 50);
  window.setTimeout(() => row.classList.remove('row-updated', 'row-settled'), 2600);
}

function start(table: HTMLTableElement): void {
  const url = table.dataset.cohortEvents;
  const body = table.tBodies[0];
  const panel = document.querySelector<HTMLElement>('[data-live-panel]');
  const state = document.querySelector<HTMLElement>('[data-live-state]');
  const reorder = document.querySelector<HTMLElement>('[data-live-reorder]');
  const reorderText = document.querySelector<HTMLElement>('[data-live-reorder-text]');
  if (!url || !body) return;
  if (panel) panel.hidden = false;

  let wholePage = false;
  let running = false;
  let again = false;
  let freshBody: HTMLTableSectionElement | null = null;
  let freshNav: Element | null = null;

  /** Takes in the fetched order (and paging) the mentor asked for, or that membership forced. */
  const applyOrder = () => {
    if (!freshBody) return;
    body.replaceChildren(...Array.from(freshBody.childNodes).map((n) => document.importNode(n, true)));
    const nav = document.querySelector('nav[aria-label="Pages of learners"]');
    if (nav && freshNav) nav.replaceWith(document.importNode(freshNav, true));
    else if (nav) nav.remove();
    else if (freshNav) table.closest('.table-scroll')?.after(document.importNode(freshNav, true));
    freshBody = null;
    freshNav = null;
    if (reorder) reorder.hidden = true;
  };
  reorder?.querySelector('button')?.addEventListener('click', () => {
    applyOrder();
    announce('The table now shows the new order.');
    table.querySelector<HTMLAnchorElement>('tbody a')?.focus();
  });

  const refresh = async (membersChanged: boolean) => {
    const response = await fetch(location.href, {
      credentials: 'same-origin',
      headers: { accept: 'text/html' },
    }).catch(() => null);
    if (!response?.ok) return;
    const page = new DOMParser().parseFromString(await response.text(), 'text/html');
    const nextBody = page.querySelector<HTMLTableSectionElement>('table[data-cohort-events] tbody');
    if (!nextBody) return;
    const current = rowsById(body);
    const next = rowsById(nextBody);
    const updated: string[] = [];
    for (const [id, row] of current) {
      const fresh = next.get(id);
      if (fresh && fresh.innerHTML !== row.innerHTML) {
        patchRow(row, fresh);
        updated.push(learnerName(row));
      }
    }
    const total = page.querySelector('[data-total]')?.textContent;
    const shownTotal = document.querySelector('[data-total]');
    if (total && shownTotal && shownTotal.textContent !== total) shownTotal.textContent = total;
    const sameOrder = [...current.keys()].join() === [...next.keys()].join();
    freshBody = sameOrder ? null : nextBody;
    freshNav = sameOrder ? null : page.querySelector('nav[aria-label="Pages of learners"]');
    if (!sameOrder && membersChanged) applyOrder();
    else if (reorder) {
      reorder.hidden = sameOrder;
      if (!sameOrder && reorderText)
        reorderText.textContent =
          'Learners moved in this order or in or out of these filters since you opened the page.';
    }
    if (updated.length > 0) {
      const names =
        updated.length > MAX_NAMES
          ? `${updated.slice(0, MAX_NAMES).join(', ')} and ${updated.length - MAX_NAMES} more`
          : updated.join(', ');
      announce(`Rows updated: ${names}`);
    } else if (membersChanged && !sameOrder) announce('The cohort’s learners changed.');
  };

  // One refresh at a time; events during one make one more afterwards.
  const run = async () => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    const members = wholePage;
    wholePage = false;
    try {
      await refresh(members);
    } finally {
      running = false;
      if (again) {
        again = false;
        schedule();
      }
    }
  };
  const schedule = debounce(() => void run(), 400);

  listen(url, {
    events: {
      learner: () => schedule(),
      members: () => {
        wholePage = true;
        schedule();
      },
    },
    onOpen: () => {
      table.dataset.live = 'connected';
      if (state) state.textContent = 'Live: rows update as learners make progress.';
    },
    onReconnect: () => schedule(),
    endOn: ['closed'],
    onEnd: () => {
      table.dataset.live = 'ended';
      if (state) state.textContent = 'Live updates stopped: you no longer have access to this cohort.';
      announce('Live updates stopped.');
    },
  });
}
