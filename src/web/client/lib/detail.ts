// The roadmap page's detail (the choosers, diagram and list, the projects: most of its markup) arrives
// inside <noscript data-detail> elements: without JavaScript that is ordinary markup; with JavaScript
// the browser keeps it as unparsed text, so the first paint is the overview alone. This inserts it
// right after that paint.

/**
 * Inserts the detail after the first paint, then calls `ready` (islands that work on the diagram and
 * the list start there). Marks the page `data-detail="shown"` and follows a `#group-…` address that
 * had nothing to point at before.
 */
export function showDetail(page: HTMLElement, ready: () => void): void {
  const holders = Array.from(document.querySelectorAll('noscript[data-detail]'));
  let done = false;
  const insert = () => {
    if (done) return;
    done = true;
    for (const holder of holders) {
      holder.insertAdjacentHTML('afterend', holder.textContent ?? '');
      holder.remove();
    }
    page.dataset.detail = 'shown';
    ready();
    const target = window.location.hash ? document.getElementById(window.location.hash.slice(1)) : null;
    target?.scrollIntoView({ block: 'start' });
  };
  // The page's full stylesheets (the first paint had only the inline critical part), already
  // preloaded: applied now, and waited for before the detail that needs them is inserted.
  const styled = Promise.all(
    Array.from(document.querySelectorAll<HTMLLinkElement>('link[rel="preload"][data-stylesheet]')).map(
      (preload) =>
        new Promise<void>((resolve) => {
          const sheet = document.createElement('link');
          sheet.rel = 'stylesheet';
          sheet.href = preload.href;
          sheet.addEventListener('load', () => resolve());
          sheet.addEventListener('error', () => resolve());
          document.head.append(sheet);
        }),
    ),
  );
  // After the frame that paints the overview; a tab opened in the background gets no frames, so a
  // timer makes sure the detail comes anyway.
  const painted = new Promise<void>((resolve) => {
    requestAnimationFrame(() => window.setTimeout(resolve, 0));
    window.setTimeout(resolve, 250);
  });
  void Promise.all([styled, painted]).then(insert);
}
