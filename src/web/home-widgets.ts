import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { JSX } from 'preact';
import type { PageUser } from './page-context.js';

// Other features put a box on the home page (plan: "this week"; review: "cards due") without the web
// feature importing them: they register a widget when their module loads.

export interface HomeWidgetContext {
  app: FastifyInstance;
  request: FastifyRequest;
  /** Null for a first-time visitor with no session. */
  user: PageUser | null;
}

export interface HomeWidget {
  /** Unique; registering the same id again replaces the widget. */
  id: string;
  /** Lower comes first; default 100. */
  order?: number;
  /** A card-sized piece of page (e.g. `<section class="card">…</section>`), or null to show nothing. */
  render(context: HomeWidgetContext): JSX.Element | null | Promise<JSX.Element | null>;
}

const widgets = new Map<string, HomeWidget>();

/**
 * Adds a box to the home page. Widgets that throw are logged and left out, never breaking the page.
 *
 * @example
 * registerHomeWidget({
 *   id: 'review-due',
 *   order: 10,
 *   async render({ app, user }) {
 *     if (!user) return null;
 *     const due = await countDue(app.db.kysely, user.id, app.clock.now());
 *     return <section class="card"><h2>Review</h2><p>{due} cards due. <a href="/review">Start</a></p></section>;
 *   },
 * });
 */
export function registerHomeWidget(widget: HomeWidget): void {
  widgets.set(widget.id, widget);
}

/** Renders every widget, in order, skipping the ones that fail. */
export async function renderHomeWidgets(context: HomeWidgetContext): Promise<JSX.Element[]> {
  const ordered = [...widgets.values()].sort(
    (a, b) => (a.order ?? 100) - (b.order ?? 100) || a.id.localeCompare(b.id),
  );
  const rendered = await Promise.all(
    ordered.map(async (widget) => {
      try {
        return await widget.render(context);
      } catch (error) {
        context.request.log.error({ err: error, widget: widget.id }, 'home widget failed');
        return null;
      }
    }),
  );
  return rendered.filter((node): node is JSX.Element => node !== null);
}
