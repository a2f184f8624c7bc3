// The diagram on large screens: one Tab stop with arrow keys between nodes (nearest node in that
// direction), zoom buttons, drag to pan, and the diagram/list switch without a reload.

interface NodeBox {
  element: SVGAElement;
  x: number;
  y: number;
}

const NARROW = '(max-width: 48rem)';

function centre(node: SVGAElement): NodeBox {
  const match = /translate\(([-\d.]+)[ ,]+([-\d.]+)\)/.exec(node.getAttribute('transform') ?? '');
  const rect = node.querySelector('rect');
  const width = Number(rect?.getAttribute('width') ?? 0);
  const height = Number(rect?.getAttribute('height') ?? 0);
  return { element: node, x: Number(match?.[1] ?? 0) + width / 2, y: Number(match?.[2] ?? 0) + height / 2 };
}

/** The nearest node in a direction: distance along it, plus twice the sideways distance. */
function nearest(from: NodeBox, boxes: NodeBox[], key: string): NodeBox | null {
  let best: NodeBox | null = null;
  let bestScore = Infinity;
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
    if (score < bestScore) {
      bestScore = score;
      best = box;
    }
  }
  return best;
}

export function initDiagram(page: HTMLElement): void {
  const svg = page.querySelector<SVGSVGElement>('svg.diagram');
  const scroller = page.querySelector<HTMLElement>('[data-diagram-scroll]');
  if (!svg || !scroller) return;
  const boxes = Array.from(svg.querySelectorAll<SVGAElement>('a.node')).map(centre);

  // Roving tabindex: the diagram is one Tab stop; arrows move inside it.
  let current = boxes[0] ?? null;
  for (const box of boxes) box.element.setAttribute('tabindex', box === current ? '0' : '-1');
  const makeCurrent = (box: NodeBox) => {
    current?.element.setAttribute('tabindex', '-1');
    current = box;
    box.element.setAttribute('tabindex', '0');
  };
  svg.addEventListener('focusin', (event) => {
    const box = boxes.find((b) => b.element === (event.target as Element).closest('a.node'));
    if (box) makeCurrent(box);
  });
  svg.addEventListener('keydown', (event) => {
    if (!['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'Home', 'End'].includes(event.key) || !current)
      return;
    const next =
      event.key === 'Home'
        ? boxes[0]
        : event.key === 'End'
          ? boxes[boxes.length - 1]
          : nearest(current, boxes, event.key);
    event.preventDefault();
    if (!next) return;
    makeCurrent(next);
    next.element.focus();
  });

  // Zoom: change the drawing's size; the scroll box does the rest.
  const baseWidth = Number(svg.dataset.width ?? svg.viewBox.baseVal.width);
  const baseHeight = svg.viewBox.baseVal.height;
  let scale = 1;
  const apply = (next: number) => {
    scale = Math.min(2, Math.max(0.3, next));
    svg.setAttribute('width', String(Math.round(baseWidth * scale)));
    svg.setAttribute('height', String(Math.round(baseHeight * scale)));
  };
  const fitScale = () => (scroller.clientWidth > 0 ? Math.min(1, (scroller.clientWidth - 4) / baseWidth) : 1);
  const controls = page.querySelector<HTMLElement>('[data-diagram-controls]');
  if (controls) controls.hidden = false;
  controls?.addEventListener('click', (event) => {
    const zoom = (event.target as Element).closest<HTMLElement>('[data-zoom]')?.dataset.zoom;
    if (zoom === 'in') apply(scale * 1.2);
    else if (zoom === 'out') apply(scale / 1.2);
    else if (zoom === 'fit') apply(fitScale());
  });
  const fitIfWide = () => {
    const fit = fitScale();
    if (fit < 1) apply(Math.max(0.75, fit));
  };
  fitIfWide();

  // Drag the background to pan.
  let drag: { x: number; y: number; left: number; top: number } | null = null;
  scroller.addEventListener('pointerdown', (event) => {
    if (event.button !== 0 || (event.target as Element).closest('a')) return;
    drag = { x: event.clientX, y: event.clientY, left: scroller.scrollLeft, top: scroller.scrollTop };
    scroller.setPointerCapture(event.pointerId);
    scroller.classList.add('dragging');
  });
  scroller.addEventListener('pointermove', (event) => {
    if (!drag) return;
    scroller.scrollLeft = drag.left - (event.clientX - drag.x);
    scroller.scrollTop = drag.top - (event.clientY - drag.y);
  });
  const stop = () => {
    drag = null;
    scroller.classList.remove('dragging');
  };
  scroller.addEventListener('pointerup', stop);
  scroller.addEventListener('pointercancel', stop);

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
      if (view === 'diagram') fitIfWide();
      link.focus();
    });
  }
  window.matchMedia(NARROW).addEventListener('change', showCurrent);
  showCurrent();
}
