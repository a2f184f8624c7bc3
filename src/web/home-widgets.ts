import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { JSX } from 'preact';
import type { PageUser } from './page-context.js';

// Other features put a box on the home page (plan: "this week"; review: "cards due") without the web
// feature importing them: they list it as `homeWidgets` in their manifest (src/features.ts).

export interface HomeWidgetContext {
  app: FastifyInstance;
  request: FastifyRequest;
  /** Null for a first-time visitor with no session. */
  user: PageUser | null;
}

export interface HomeWidget {
  /** Unique across features. */
  id: string;
  /** Lower comes first; default 100. */
  order?: number;
  /** A card-sized piece of page (e.g. `<section class="card">…</section>`), or null to show nothing. */
  render(context: HomeWidgetContext): JSX.Element | null | Promise<JSX.Element | null>;
}

/** The widgets in the order the home page shows them: by `order` (default 100), then by id. */
export function orderWidgets(widgets: readonly HomeWidget[]): HomeWidget[] {
  return [...widgets].sort((a, b) => (a.order ?? 100) - (b.order ?? 100) || a.id.localeCompare(b.id));
}

/** Renders every widget, in order, skipping the ones that fail. */
export async function renderHomeWidgets(
  widgets: readonly HomeWidget[],
  context: HomeWidgetContext,
): Promise<JSX.Element[]> {
  const rendered = await Promise.all(
    widgets.map(async (widget) => {
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
