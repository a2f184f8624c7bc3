import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { JSX } from 'preact';
import type { Roadmap, Topic } from '../content/content.types.js';
import type { PageUser } from './page-context.js';

// Other features put a box on the home page (plan: "this week"; review: "cards due") or a section on
// the topic page (feedback) without the web feature importing them: they list it as `homeWidgets` or
// `topicSections` in their manifest (src/features.ts).

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
  /** Stylesheet entries the widget's markup needs besides "web/waymark" (e.g. "plan/plan"). */
  styles?: readonly string[];
  /** A card-sized piece of page (e.g. `<section class="card">…</section>`), or null to show nothing. */
  render(context: HomeWidgetContext): JSX.Element | null | Promise<JSX.Element | null>;
}

/** The widgets in the order the home page shows them: by `order` (default 100), then by id. */
export function orderWidgets(widgets: readonly HomeWidget[]): HomeWidget[] {
  return [...widgets].sort((a, b) => (a.order ?? 100) - (b.order ?? 100) || a.id.localeCompare(b.id));
}

/** Pieces of page that rendered, and the stylesheets those pieces (and only those) need, each once. */
export interface RenderedPieces {
  elements: JSX.Element[];
  styles: string[];
}

/** Renders every widget, in order, skipping the ones that fail or render nothing. */
export function renderHomeWidgets(
  widgets: readonly HomeWidget[],
  context: HomeWidgetContext,
): Promise<RenderedPieces> {
  return renderPieces(widgets, context);
}

/**
 * Renders pieces of page other features supply (widgets, topic sections), skipping and logging the
 * ones that fail. A piece that renders nothing adds no stylesheet to the page.
 */
export async function renderPieces<C extends { request: FastifyRequest }>(
  pieces: readonly {
    id: string;
    styles?: readonly string[];
    render(context: C): JSX.Element | null | Promise<JSX.Element | null>;
  }[],
  context: C,
): Promise<RenderedPieces> {
  const rendered = await Promise.all(
    pieces.map(async (piece) => {
      try {
        return await piece.render(context);
      } catch (error) {
        context.request.log.error({ err: error, piece: piece.id }, 'page piece failed');
        return null;
      }
    }),
  );
  const elements: JSX.Element[] = [];
  const styles = new Set<string>();
  rendered.forEach((element, i) => {
    if (element === null) return;
    elements.push(element);
    for (const style of pieces[i]!.styles ?? []) styles.add(style);
  });
  return { elements, styles: [...styles] };
}

/** A section another feature adds to the topic page (feedback: "From your mentors"), after its projects. */
export interface TopicSection {
  /** Unique across features. */
  id: string;
  /** Lower comes first; default 100. */
  order?: number;
  /** Stylesheet entries the widget's markup needs besides "web/waymark" (e.g. "plan/plan"). */
  styles?: readonly string[];
  render(
    context: HomeWidgetContext & { roadmap: Roadmap; topic: Topic },
  ): JSX.Element | null | Promise<JSX.Element | null>;
}

/** A section another feature adds to a project run's panel (feedback: the mentors' comments on the run). */
export interface RunSection {
  /** Unique across features. */
  id: string;
  /** Lower comes first; default 100. */
  order?: number;
  render(
    context: HomeWidgetContext & { projectId: string; runId: string },
  ): JSX.Element | null | Promise<JSX.Element | null>;
}
