import type { VNode } from 'preact';
import { Icon } from '../components/icons.js';
import { TopicView, type TopicViewProps } from '../components/topic.js';
import { Layout, ROADMAP_SHORTCUTS, type PageContext } from '../layout.js';
import { AlternativeNote } from '../roadmap/alternatives.js';

/** The learner's pick in each "choose one of" set (setId -> topic id). */
type WithChoices = { choices?: ReadonlyMap<string, string> };

/** A topic on its own page (the shareable URL of the roadmap's side panel), with previous/next. */
export function TopicPage(
  props: Omit<TopicViewProps, 'mode'> &
    WithChoices & {
      context: PageContext;
      after?: VNode | null;
      /** Stylesheets the sections in `after` need (see `TopicSection.styles`). */
      styles?: string[];
    },
): VNode {
  const { context, roadmap, topic } = props;
  const step = roadmap.steps.find((s) => s.id === roadmap.stepOf.get(topic.id));
  return (
    <Layout
      {...context}
      title={`${topic.title} · ${roadmap.title}`}
      active="roadmaps"
      scripts={['web/roadmap']}
      styles={props.styles ?? []}
      shortcuts={ROADMAP_SHORTCUTS}
      description={topic.summary}
    >
      <div class="topic-page" data-topic-page="">
        <nav class="breadcrumbs" aria-label="Breadcrumb">
          <ol>
            <li>
              <a href="/roadmaps">Roadmaps</a>
            </li>
            <li>
              <a href={`/roadmaps/${roadmap.id}`}>{roadmap.title}</a>
            </li>
            {step ? <li>{step.title}</li> : null}
          </ol>
        </nav>
        <AlternativeNote
          content={props.content}
          roadmap={roadmap}
          topicId={topic.id}
          choices={props.choices ?? new Map()}
        />
        <TopicView {...props} mode="page" />
        {props.after ?? null}
        <p>
          <a href={`/roadmaps/${roadmap.id}`}>
            <Icon name="diagram" /> Back to the {roadmap.title} roadmap
          </a>
        </p>
      </div>
    </Layout>
  );
}

/** The side panel's content, fetched by the roadmap island (`?partial=panel`). */
export function TopicPanel(props: Omit<TopicViewProps, 'mode'> & WithChoices): VNode {
  const { roadmap, topic } = props;
  return (
    <>
      <div class="panel-bar">
        <a href={`/roadmaps/${roadmap.id}/topics/${topic.id}`} data-panel-link="">
          <Icon name="external" /> Open as page
        </a>
        <button type="button" class="icon-button" data-panel-close="" title="Close (Esc)">
          <Icon name="close" />
          <span class="visually-hidden">Close topic panel</span>
        </button>
      </div>
      <AlternativeNote
        content={props.content}
        roadmap={roadmap}
        topicId={topic.id}
        choices={props.choices ?? new Map()}
      />
      <TopicView {...props} mode="panel" />
    </>
  );
}
