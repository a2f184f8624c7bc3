// Live sync: the page listens to GET /api/v1/events (server-sent events of the visitor's own changes)
// so a second tab, or a phone beside a laptop, shows a change within a second without a reload;
// `listen` keeps any such stream open (the mentor's cohort table uses it for the cohort's stream).
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
  if (document.body.dataset.live === undefined) return;
  const parse = (data: string) => {
    try {
      onChange(JSON.parse(data) as LiveEvent);
    } catch {
      onChange({ type: 'sync' });
    }
  };
  listen('/api/v1/events', {
    events: { changed: parse, sync: parse },
    onReconnect: () => onChange({ type: 'sync' }),
    endOn: ['deleted'],
  });
}

export interface Listeners {
  /** Handlers by event name; each gets the event's data as sent. */
  events: Record<string, (data: string) => void>;
  /** Each time the stream is (re)opened. */
  onOpen?: () => void;
  /** After a reconnect: changes made meanwhile were not streamed, so the page should refresh once. */
  onReconnect?: () => void;
  /** Events after which the stream is closed for good (the server says access ended). */
  endOn?: string[];
  onEnd?: (event: string, data: string) => void;
}

/**
 * Opens a server-sent event stream and keeps it open: EventSource reconnects by itself after a
 * dropped connection; when the browser gives up (the server answered with an error) it is tried
 * again with a growing pause, up to a minute. Returns a function that closes it.
 *
 * @example listen(`/api/v1/cohorts/${id}/events`, { events: { learner: (data) => … } });
 */
export function listen(url: string, listeners: Listeners): () => void {
  if (!('EventSource' in window)) return () => {};
  let pause = 2000;
  let connectedOnce = false;
  let source: EventSource | null = null;
  let retry = 0;
  let ended = false;
  const stop = () => {
    ended = true;
    window.clearTimeout(retry);
    source?.close();
  };
  const connect = () => {
    if (ended) return;
    const current = new EventSource(url);
    source = current;
    current.addEventListener('open', () => {
      pause = 2000;
      listeners.onOpen?.();
      if (connectedOnce) listeners.onReconnect?.();
      connectedOnce = true;
    });
    for (const [type, handle] of Object.entries(listeners.events))
      current.addEventListener(type, (message) => handle((message as MessageEvent<string>).data));
    for (const type of listeners.endOn ?? [])
      current.addEventListener(type, (message) => {
        stop();
        listeners.onEnd?.(type, (message as MessageEvent<string>).data);
      });
    current.addEventListener('error', () => {
      if (ended || current.readyState !== EventSource.CLOSED) return; // the browser is reconnecting by itself
      retry = window.setTimeout(connect, pause);
      pause = Math.min(MAX_PAUSE_MS, pause * 2);
    });
  };
  window.addEventListener('pagehide', stop, { once: true });
  connect();
  return stop;
}

/** Runs `task` once after a burst of calls settles (several events for one change refresh once). */
export function debounce(task: () => void, ms = 150): () => void {
  let timer = 0;
  return () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(task, ms);
  };
}
