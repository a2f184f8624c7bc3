import type { VNode } from 'preact';
import type { Content, Roadmap } from '../../content/content.types.js';
import type { RoadmapSummary } from '../../progress/progress.service.js';
import { StatusBadge } from '../components/progress.js';
import { topicPath } from '../components/topic.js';
import type { WebStatus } from '../status.js';

// The list view: the same roadmap as the diagram, as headings and lists (steps → groups → topics), for
// screen readers, small screens and people who prefer lists. It is the default on narrow screens and
// what the normal roadmap page prints.

export interface RoadmapListProps {
  content: Content;
  roadmap: Roadmap;
  summary: RoadmapSummary;
  statusOf: (topicId: string) => WebStatus;
  /** Topics hidden by the current search/filter, or null when nothing is filtered. */
  hidden: Set<string> | null;
  selected: string | null;
}

export function RoadmapList({
  content,
  roadmap,
  summary,
  statusOf,
  hidden,
  selected,
}: RoadmapListProps): VNode {
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
              <h2 id={`step-${step.id}`}>
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
                <div class="group-block" key={groupIndex} hidden={groupHidden}>
                  <h3>{group.title}</h3>
                  <ul class="topic-list">
                    {group.topicIds.map((id) => {
                      const topic = content.topics.get(id);
                      if (!topic) return null;
                      const status = statusOf(id);
                      const classes = [`s-${status}`];
                      if (hidden?.has(id)) classes.push('filtered-out');
                      if (selected === id) classes.push('selected');
                      return (
                        <li class={classes.join(' ')} data-topic={id} key={id}>
                          <a class="topic-link" href={topicPath(roadmap.id, id)} data-topic-link={id}>
                            {topic.title}
                            {topic.optional ? <span class="topic-meta"> · optional</span> : null}
                          </a>
                          <span class="topic-meta">{topic.estimateHours} h</span>
                          <StatusBadge status={status} />
                        </li>
                      );
                    })}
                  </ul>
                </div>
              );
            })}
          </section>
        );
      })}
    </section>
  );
}
