// Live sync: the page listens to GET /api/v1/events (server-sent events of the visitor's own changes)
// so a second tab, or a phone beside a laptop, shows a change within a second without a reload.
// EventSource reconnects by itself after a dropped connection (the server asks for 5 s); when the
// browser gives up (the server answered with an error) we try again with a growing pause. After every
// reconnect the page refreshes once, since changes made meanwhile were not streamed to it.

export interface LiveEvent {
  type: string;
  method?: string;
  path?: string;
}

const MAX_PAUSE_MS = 60_000;

/**
 * Calls `onChange` for each change event and after each reconnect (with `{ type: 'sync' }`).
 * Only for visitors with a session (the page marks `<body data-live>`).
 *
 * @example subscribe((event) => refresh(event));
 */
export function subscribe(onChange: (event: LiveEvent) => void): void {
  if (!('EventSource' in window) || document.body.dataset.live === undefined) return;
  let pause = 2000;
  let connectedOnce = false;
  const connect = () => {
    const source = new EventSource('/api/v1/events');
    source.addEventListener('open', () => {
      pause = 2000;
      if (connectedOnce) onChange({ type: 'sync' });
      connectedOnce = true;
    });
    for (const type of ['changed', 'sync'])
      source.addEventListener(type, (message) => {
        try {
          onChange(JSON.parse((message as MessageEvent<string>).data) as LiveEvent);
        } catch {
          onChange({ type: 'sync' });
        }
      });
    source.addEventListener('deleted', () => source.close());
    source.addEventListener('error', () => {
      if (source.readyState !== EventSource.CLOSED) return; // the browser is reconnecting by itself
      window.setTimeout(connect, pause);
      pause = Math.min(MAX_PAUSE_MS, pause * 2);
    });
    window.addEventListener('pagehide', () => source.close(), { once: true });
  };
  connect();
}

/** Runs `task` once after a burst of calls settles (several events for one change refresh once). */
export function debounce(task: () => void, ms = 150): () => void {
  let timer = 0;
  return () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(task, ms);
  };
}
