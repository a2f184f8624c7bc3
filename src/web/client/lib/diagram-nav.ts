// The diagram on large screens: one Tab stop with arrow keys between nodes (the spatially nearest node
// in that direction), zoom buttons, overview links that land in the view shown, and the diagram/list
// switch without a reload.

interface NodeBox {
  element: SVGAElement;
  x: number;
  y: number;
}

const NARROW = '(max-width: 48rem)';

/** Where a node is drawn now, in page pixels (every step is its own SVG, scaled to the page). */
function centre(node: SVGAElement): NodeBox {
  const rect = node.getBoundingClientRect();
  return {
    element: node,
    x: rect.left + window.scrollX + rect.width / 2,
    y: rect.top + window.scrollY + rect.height / 2,
  };
}

/**
 * The spatially nearest node in a direction: only nodes whose centre lies in that direction's 90° cone
 * count, scored by distance along the direction plus twice the sideways distance, so ArrowRight picks
 * the neighbour on the same row before one further down.
 */
export function nearest<T extends { x: number; y: number }>(from: T, boxes: T[], key: string): T | null {
  let best: T | null = null;
  let bestScore = Infinity;
  // Outside the cone only when nothing is inside it (the last node of a row still moves on).
  let fallback: T | null = null;
  let fallbackScore = Infinity;
  for (const box of boxes) {
    if (box === from) continue;
    const dx = box.x - from.x;
    const dy = box.y - from.y;
    const [along, across] =
      key === 'ArrowRight'
        ? [dx, dy]
        : key === 'ArrowLeft'
          ? [-dx, dy]
          : key === 'ArrowDown'
            ? [dy, dx]
            : [-dy, dx];
    if (along <= 1) continue;
    const score = along + 2 * Math.abs(across);
    if (Math.abs(across) > along) {
      if (score < fallbackScore) {
        fallbackScore = score;
        fallback = box;
      }
    } else if (score < bestScore) {
      bestScore = score;
      best = box;
    }
  }
  return best ?? fallback;
}

/** Scrolls to an overview link's target in whichever view is shown (diagram or list) and focuses it. */
function followOverviewLink(page: HTMLElement, link: HTMLAnchorElement): boolean {
  const inList = getComputedStyle(page.querySelector('.diagram-view') ?? page).display === 'none';
  const target = inList
    ? document.getElementById(link.hash.slice(1))
    : document.getElementById(link.dataset.overviewTarget ?? '');
  if (!target) return false;
  target.scrollIntoView({ block: 'start' });
  const firstNode = inList ? null : target.querySelector<SVGAElement>('a.node');
  const focusable = firstNode ?? (target instanceof SVGElement ? null : target);
  if (focusable) {
    if (firstNode) firstNode.setAttribute('tabindex', '0');
    focusable.focus({ preventScroll: true });
  }
  return true;
}

export function initDiagram(page: HTMLElement): void {
  const steps = page.querySelector<HTMLElement>('.diagram-steps');
  const scroller = page.querySelector<HTMLElement>('[data-diagram-scroll]');
  if (!steps || !scroller) return;
  const nodes = Array.from(steps.querySelectorAll<SVGAElement>('a.node'));

  // Roving tabindex: the diagram is one Tab stop; arrows move inside it.
  let current: SVGAElement | null = nodes[0] ?? null;
  for (const node of nodes) node.setAttribute('tabindex', node === current ? '0' : '-1');
  const makeCurrent = (node: SVGAElement) => {
    if (current && current !== node) current.setAttribute('tabindex', '-1');
    current = node;
    node.setAttribute('tabindex', '0');
  };
  steps.addEventListener('focusin', (event) => {
    const node = (event.target as Element).closest<SVGAElement>('a.node');
    if (node) makeCurrent(node);
  });
  steps.addEventListener('keydown', (event) => {
    if (!['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'Home', 'End'].includes(event.key) || !current)
      return;
    let next: SVGAElement | null | undefined;
    if (event.key === 'Home') next = nodes[0];
    else if (event.key === 'End') next = nodes[nodes.length - 1];
    else {
      // Positions are read when a key is pressed: zoom and window size change them.
      const boxes = nodes.map(centre);
      const from = boxes.find((box) => box.element === current);
      next = from ? nearest(from, boxes, event.key)?.element : null;
    }
    event.preventDefault();
    if (!next) return;
    makeCurrent(next);
    next.focus();
  });

  // Zoom: 1 is each step at its own size (shrunk to fit the page); wider than the page scrolls sideways.
  const drawings = Array.from(steps.querySelectorAll<SVGSVGElement>('svg.diagram'));
  let scale = 1;
  const apply = (next: number) => {
    scale = Math.min(2.5, Math.max(0.5, next));
    steps.classList.toggle('zoomed', scale !== 1);
    for (const svg of drawings) {
      const width = Number(svg.getAttribute('width'));
      svg.style.width = scale === 1 ? '' : `${Math.round(width * scale)}px`;
    }
  };
  const controls = page.querySelector<HTMLElement>('[data-diagram-controls]');
  if (controls) controls.hidden = false;
  controls?.addEventListener('click', (event) => {
    const zoom = (event.target as Element).closest<HTMLElement>('[data-zoom]')?.dataset.zoom;
    if (zoom === 'in') apply(scale * 1.25);
    else if (zoom === 'out') apply(scale / 1.25);
    else if (zoom === 'fit') apply(1);
  });

  // Overview → detail: go to the group in the view that is shown.
  page.querySelector('.overview')?.addEventListener('click', (event) => {
    const link = (event.target as Element).closest<HTMLAnchorElement>('a[data-overview-target]');
    if (!link || (event as MouseEvent).ctrlKey || (event as MouseEvent).metaKey) return;
    if (followOverviewLink(page, link)) {
      event.preventDefault();
      window.history.replaceState(window.history.state, '', link.hash);
    }
  });
  // Detail → overview.
  page.addEventListener('click', (event) => {
    const link = (event.target as Element).closest<HTMLAnchorElement>('a[href="#overview"]');
    if (!link) return;
    event.preventDefault();
    const overview = document.getElementById('overview');
    overview?.scrollIntoView({ block: 'start' });
    overview?.focus({ preventScroll: true });
  });

  // Diagram / list switch without a reload (the links work without JavaScript too).
  const links = Array.from(page.querySelectorAll<HTMLAnchorElement>('[data-view-link]'));
  const showCurrent = () => {
    const view =
      page.dataset.view === 'auto'
        ? window.matchMedia(NARROW).matches
          ? 'list'
          : 'diagram'
        : page.dataset.view;
    for (const link of links) {
      if (link.dataset.viewLink === view) link.setAttribute('aria-current', 'true');
      else link.removeAttribute('aria-current');
    }
  };
  for (const link of links) {
    link.addEventListener('click', (event) => {
      if (event.ctrlKey || event.metaKey || event.shiftKey) return;
      event.preventDefault();
      const view = link.dataset.viewLink ?? 'diagram';
      page.dataset.view = view;
      const url = new URL(window.location.href);
      url.searchParams.set('view', view);
      window.history.replaceState(window.history.state, '', url);
      for (const other of links) other.setAttribute('href', other.href);
      showCurrent();
      link.focus();
    });
  }
  window.matchMedia(NARROW).addEventListener('change', showCurrent);
  showCurrent();
}
