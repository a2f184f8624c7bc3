import type { VNode } from 'preact';
import type { Content, Roadmap } from '../../content/content.types.js';
import type { RoadmapSummary } from '../../progress/progress.service.js';
import { topicPath } from '../components/topic.js';
import { STATUS_WORD } from '../status.js';
import type { Status } from '../../progress/status.js';

// The list view: the same roadmap as the diagram, as headings and lists (steps → groups → topics), for
// screen readers, small screens and people who prefer lists. It is the default on narrow screens and
// what the normal roadmap page prints. Entries are lean (the status icon is drawn by CSS from the
// entry's class): with ~150 topics the list is a large share of the page's elements.

/** A status as icon (CSS) + word: the lean badge of list entries, repainted by the roadmap island. */
function LeanBadge({ status }: { status: Status }): VNode {
  return (
    <span class={`badge lean s-${status}`} data-badge="">
      <span class="badge-word">{STATUS_WORD[status]}</span>
    </span>
  );
}

function TopicItem(props: {
  content: Content;
  roadmap: Roadmap;
  id: string;
  status: Status;
  hidden: boolean;
  selected: boolean;
  tool?: boolean;
  role?: 'chosen' | 'alternative' | null;
}): VNode | null {
  const { content, roadmap, id, status } = props;
  const topic = content.topics.get(id);
  if (!topic) return null;
  const classes = [`s-${status}`];
  if (topic.optional) classes.push('optional');
  if (props.hidden) classes.push('filtered-out');
  if (props.selected) classes.push('selected');
  if (props.role) classes.push('alt', `alt-${props.role}`);
  const set = props.role ? roadmap.alternativeOf.get(id) : undefined;
  return (
    <li
      class={classes.join(' ')}
      data-topic={id}
      data-tool={props.tool ? '' : undefined}
      data-set={set && !props.tool ? set.id : undefined}
    >
      <a class="topic-link" href={topicPath(roadmap.id, id)} data-topic-link={id}>
        {topic.title}
        {topic.optional && !set ? <span class="topic-meta"> · optional</span> : null}
        {set ? (
          <span class="topic-meta alt-tag">
            {' '}
            · one of “{set.title}”{props.role === 'chosen' ? ' · chosen' : ''}
          </span>
        ) : null}
      </a>
      <span class="topic-meta">{topic.estimateHours} h</span>
      <LeanBadge status={status} />
    </li>
  );
}

export interface RoadmapListProps {
  content: Content;
  roadmap: Roadmap;
  summary: RoadmapSummary;
  statusOf: (topicId: string) => Status;
  /** For members of a "choose one of" set: whether the learner chose it. */
  alternativeRole?: (topicId: string) => 'chosen' | 'alternative' | null;
  /** Topics hidden by the current search/filter, or null when nothing is filtered. */
  hidden: Set<string> | null;
  selected: string | null;
}

export function RoadmapList({
  content,
  roadmap,
  summary,
  statusOf,
  alternativeRole,
  hidden,
  selected,
}: RoadmapListProps): VNode {
  // One topic row, in a step's group or in the tools section.
  const item = (id: string, kind: { role?: 'chosen' | 'alternative' | null; tool?: boolean }) => (
    <TopicItem
      key={id}
      content={content}
      roadmap={roadmap}
      id={id}
      status={statusOf(id)}
      hidden={hidden?.has(id) ?? false}
      selected={selected === id}
      {...kind}
    />
  );
  return (
    <section class="list-view" id="list-view" aria-label={`${roadmap.title}: list of steps and topics`}>
      {roadmap.steps.map((step, stepIndex) => {
        const counts = summary.steps[stepIndex];
        const stepHidden = hidden !== null && step.topicIds.every((id) => hidden.has(id));
        return (
          <section
            class="step-block"
            aria-labelledby={`step-${step.id}`}
            key={step.id}
            data-step={step.id}
            hidden={stepHidden}
          >
            <div class="step-head">
              <h2 id={`step-${step.id}`} tabindex={-1}>
                {stepIndex + 1}. {step.title}
              </h2>
              {counts ? (
                <span class="step-count" data-step-count={step.id}>
                  {counts.done + counts.skipped} of {counts.total} finished
                </span>
              ) : null}
            </div>
            <p class="step-summary">{step.summary}</p>
            {step.groups.map((group, groupIndex) => {
              const groupHidden = hidden !== null && group.topicIds.every((id) => hidden.has(id));
              return (
                <div
                  class="group-block"
                  key={groupIndex}
                  hidden={groupHidden}
                  id={`group-${step.id}-${groupIndex}`}
                  tabindex={-1}
                >
                  <h3>{group.title}</h3>
                  <ul class="topic-list">
                    {group.topicIds.map((id) => item(id, { role: alternativeRole?.(id) ?? null }))}
                  </ul>
                </div>
              );
            })}
          </section>
        );
      })}
      {roadmap.tools.length > 0 ? (
        <section class="step-block tools-block" aria-labelledby="step-tools" data-step="tools">
          <div class="step-head">
            <h2 id="step-tools" tabindex={-1}>
              Tools
            </h2>
            <a class="step-count" href="#overview">
              Back to overview
            </a>
          </div>
          <p class="step-summary">
            The tools and languages this roadmap relies on; each is also a topic in its step above.
          </p>
          <ul class="topic-list">{roadmap.tools.map((id) => item(id, { tool: true }))}</ul>
        </section>
      ) : null}
    </section>
  );
}
