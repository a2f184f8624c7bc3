import type { ComponentChildren, VNode } from 'preact';
import type { Content, Roadmap } from '../../content/content.types.js';
import type { RoadmapSummary } from '../../progress/progress.service.js';
import { Icon } from '../components/icons.js';
import { ProgressSummary, StatusBadge } from '../components/progress.js';
import { topicPath } from '../components/topic.js';
import { Layout, ROADMAP_SHORTCUTS, type PageContext } from '../layout.js';
import { Diagram, Legend } from '../roadmap/diagram.js';
import type { DiagramLayout } from '../roadmap/diagram.layout.js';
import { Overview } from '../roadmap/overview.js';
import { RoadmapList } from '../roadmap/roadmap-list.js';
import { STATUS_WORD } from '../status.js';
import { STATUSES, type Status } from '../../progress/status.js';
import { AlternativeChoosers, alternativeRole } from '../roadmap/alternatives.js';

/** The stylesheet the roadmap page carries inline; its route allows it (allowInlineStyles). */
export const ROADMAP_FIRST_PAINT_STYLES = 'web/critical';

export type RoadmapView = 'auto' | 'list' | 'diagram';
export type StatusFilter = Status | 'all';

export interface RoadmapPageProps {
  context: PageContext;
  content: Content;
  roadmap: Roadmap;
  layout: DiagramLayout;
  summary: RoadmapSummary;
  statusOf: (topicId: string) => Status;
  /** The learner's pick in each "choose one of" set (setId -> topic id); defaults when absent. */
  choices?: ReadonlyMap<string, string>;
  view: RoadmapView;
  filter: StatusFilter;
  query: string;
  /** Topic ids matching the search, best first; null without a search. */
  matches: string[] | null;
  /** A block other features add below the roadmap (the projects that prove its topics). */
  after?: VNode | null;
}

function viewHref(roadmap: Roadmap, view: RoadmapView, query: string, filter: StatusFilter): string {
  const params = new URLSearchParams();
  if (view !== 'auto') params.set('view', view);
  if (query) params.set('q', query);
  if (filter !== 'all') params.set('status', filter);
  const search = params.toString();
  return `/roadmaps/${roadmap.id}${search ? `?${search}` : ''}`;
}

/** The diagram's zoom buttons (the roadmap island wires them up by `data-zoom`). */
const ZOOM_BUTTONS: { zoom: string; icon: 'minus' | 'plus' | 'fit'; label: string }[] = [
  { zoom: 'out', icon: 'minus', label: 'Zoom out' },
  { zoom: 'in', icon: 'plus', label: 'Zoom in' },
  { zoom: 'fit', icon: 'fit', label: 'Fit to width' },
];

export function RoadmapPage(props: RoadmapPageProps): VNode {
  const { context, content, roadmap, layout, summary, statusOf, view, filter, query, matches } = props;
  let hidden: Set<string> | null = null;
  if (matches !== null || filter !== 'all') {
    const matching = new Set(matches ?? roadmap.topicIds);
    hidden = new Set(
      roadmap.topicIds.filter((id) => !matching.has(id) || (filter !== 'all' && statusOf(id) !== filter)),
    );
  }
  const shown = hidden ? roadmap.topicIds.length - hidden.size : roadmap.topicIds.length;
  return (
    <Layout
      {...context}
      title={roadmap.title}
      active="roadmaps"
      scripts={['web/roadmap']}
      firstPaintStyles={ROADMAP_FIRST_PAINT_STYLES}
      shortcuts={ROADMAP_SHORTCUTS}
      bodyClass="page-roadmap"
      description={roadmap.summary}
    >
      <div class="roadmap-page" data-view={view} data-roadmap={roadmap.id}>
        <header class="roadmap-head">
          <div>
            <h1>{roadmap.title}</h1>
            <p class="lead">{roadmap.summary}</p>
          </div>
          <div>
            <ProgressSummary
              counts={summary}
              id="roadmap-progress"
              label={`Your progress on ${roadmap.title}`}
            />
            {context.user ? null : (
              <p class="progress-text">No sign-up needed: your first click starts saving your progress.</p>
            )}
          </div>
        </header>

        <div class="toolbar">
          <form
            method="get"
            action={`/roadmaps/${roadmap.id}`}
            role="search"
            aria-label="Search and filter topics"
            data-island="search"
          >
            {view !== 'auto' ? <input type="hidden" name="view" value={view} /> : null}
            <div class="field search-field">
              <label for="search">
                Search topics <kbd aria-hidden="true">/</kbd>
              </label>
              <input
                id="search"
                type="search"
                name="q"
                value={query}
                placeholder={searchPlaceholder(content, roadmap)}
                autocomplete="off"
                aria-keyshortcuts="/"
                aria-describedby="search-summary"
              />
            </div>
            <div class="field">
              <label for="status-filter">Show</label>
              <select id="status-filter" name="status">
                <option value="all" selected={filter === 'all'}>
                  All topics
                </option>
                {STATUSES.map((status) => (
                  <option value={status} selected={filter === status} key={status}>
                    {STATUS_WORD[status]}
                  </option>
                ))}
              </select>
            </div>
            <button type="submit" class="button button-quiet">
              Apply
            </button>
          </form>
          <div class="toolbar-links">
            <nav class="view-switch" aria-label="View">
              <a
                href={viewHref(roadmap, 'diagram', query, filter)}
                data-view-link="diagram"
                aria-current={view === 'diagram' ? 'true' : undefined}
              >
                <Icon name="diagram" /> Diagram
              </a>
              <a
                href={viewHref(roadmap, 'list', query, filter)}
                data-view-link="list"
                aria-current={view === 'list' ? 'true' : undefined}
              >
                <Icon name="list" /> List
              </a>
            </nav>
            <a href={`/roadmaps/${roadmap.id}/print`} class="button button-quiet" data-print-link="">
              <Icon name="print" /> Print
            </a>
          </div>
        </div>

        <p id="search-summary" class="search-summary" aria-live="polite" hidden={hidden === null}>
          {hidden === null ? '' : `${shown} of ${roadmap.topicIds.length} topics match.`}
        </p>
        <SearchResults
          roadmap={roadmap}
          content={content}
          matches={matches}
          query={query}
          statusOf={statusOf}
          filter={filter}
        />

        <Overview
          roadmap={roadmap}
          counted={(id) => ({
            status: statusOf(id),
            set: roadmap.alternativeOf.get(id)?.id,
            chosen: alternativeRole(roadmap, props.choices ?? new Map(), id) === 'chosen',
          })}
          isOptional={(id) => content.topics.get(id)?.optional ?? false}
          titleOf={(id) => content.topics.get(id)?.title ?? id}
        />

        <Deferred>
          <AlternativeChoosers
            content={content}
            roadmap={roadmap}
            choices={props.choices ?? new Map()}
            returnTo={`/roadmaps/${roadmap.id}`}
          />
        </Deferred>

        <div class="roadmap-body" id="roadmap-body">
          <div class="roadmap-views">
            <Deferred>
              <section class="diagram-view" aria-label="Diagram">
                <div class="diagram-bar">
                  <Legend alternatives={roadmap.alternatives.length > 0} />
                  <div class="diagram-controls" data-diagram-controls="" hidden>
                    {ZOOM_BUTTONS.map(({ zoom, icon, label }) => (
                      <button key={zoom} type="button" class="icon-button" data-zoom={zoom} title={label}>
                        <Icon name={icon} />
                        <span class="visually-hidden">{label}</span>
                      </button>
                    ))}
                  </div>
                </div>
                <div class="diagram-scroll" data-diagram-scroll="">
                  <Diagram
                    layout={layout}
                    content={content}
                    roadmapTitle={roadmap.title}
                    statusOf={statusOf}
                    alternativeRole={(id) => alternativeRole(roadmap, props.choices ?? new Map(), id)}
                    dimmed={hidden}
                    selected={null}
                  />
                </div>
              </section>
              <RoadmapList
                content={content}
                roadmap={roadmap}
                summary={summary}
                statusOf={statusOf}
                alternativeRole={(id) => alternativeRole(roadmap, props.choices ?? new Map(), id)}
                hidden={hidden}
                selected={null}
              />
            </Deferred>
          </div>
          <aside id="panel" class="panel" aria-labelledby="topic-title" hidden data-panel=""></aside>
        </div>
      </div>
      {props.after ? <Deferred>{props.after}</Deferred> : null}
    </Layout>
  );
}

/**
 * What the first paint can do without: the choosers, the diagram and list, the projects. Without
 * JavaScript this is ordinary markup, read and printed as ever; with JavaScript the browser keeps a
 * `<noscript>`'s content as unparsed text, so it paints the overview at once, and the roadmap island
 * inserts these right after that first paint (client/lib/detail.ts).
 */
function Deferred({ children }: { children: ComponentChildren }): VNode {
  return <noscript data-detail="">{children}</noscript>;
}

/**
 * Search examples taken from the roadmap itself (short topic titles from the start, middle and end),
 * so the frontend roadmap suggests frontend words.
 */
function searchPlaceholder(content: Content, roadmap: Roadmap): string {
  const short = roadmap.topicIds
    .map((id) => content.topics.get(id)?.title.split(/[:(,]/)[0]?.trim() ?? '')
    .filter((title) => title.length > 0 && title.length <= 16);
  const words = [0.35, 0.6, 0.85].map((at) => short[Math.floor(short.length * at)]?.toLowerCase());
  return `e.g. ${[...new Set(words.filter(Boolean))].join(', ')}`;
}

function SearchResults(props: {
  roadmap: Roadmap;
  content: Content;
  matches: string[] | null;
  query: string;
  statusOf: (id: string) => Status;
  filter: StatusFilter;
}): VNode {
  const { roadmap, content, matches, query, statusOf, filter } = props;
  const ids = (matches ?? []).filter((id) => filter === 'all' || statusOf(id) === filter);
  return (
    <section
      class="card search-results"
      aria-labelledby="results-title"
      data-search-results=""
      hidden={matches === null}
    >
      <h2 id="results-title">
        Results for “<span data-results-query="">{query}</span>”
      </h2>
      {ids.length === 0 ? (
        <p class="muted" data-results-empty="">
          No topic matches. Try a shorter word or clear the filter.
        </p>
      ) : null}
      <ol class="topic-list" data-results-list="">
        {ids.slice(0, 30).map((id) => {
          const topic = content.topics.get(id);
          if (!topic) return null;
          return (
            <li class={`s-${statusOf(id)}`} data-topic={id} key={id}>
              <a class="topic-link" href={topicPath(roadmap.id, id)} data-topic-link={id}>
                {topic.title}
                <span class="topic-summary">{topic.summary}</span>
              </a>
              <StatusBadge status={statusOf(id)} />
            </li>
          );
        })}
      </ol>
    </section>
  );
}
