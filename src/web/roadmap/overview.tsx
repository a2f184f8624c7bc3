import type { VNode } from 'preact';
import type { Roadmap } from '../../content/content.types.js';
import { topicPath } from '../components/topic.js';
import { countTopics, type CountedTopic } from '../../progress/count.js';

// The roadmap at a glance: the steps along a spine (left to right on a laptop, top to bottom on a phone)
// with their groups branching off, each group with its size and how much of it is finished. Every group
// links to its place in the detailed diagram or list, and every step there links back here. Plain HTML
// (no SVG): it reflows to any width and is the first thing the page paints.

interface GroupCount {
  finished: number;
  total: number;
  optional: number;
}

/** A step's or group's count through the shared definition (a "choose one of" set counts once). */
function countOf(
  topicIds: string[],
  counted: (id: string) => CountedTopic,
  isOptional: (id: string) => boolean,
): GroupCount {
  const counts = countTopics(topicIds.map(counted));
  return {
    finished: counts.done + counts.skipped,
    total: counts.total,
    optional: topicIds.filter(isOptional).length,
  };
}

function Chip({
  href,
  title,
  count,
  target,
}: {
  href: string;
  title: string;
  count: GroupCount;
  target: string;
}): VNode {
  const percent = count.total ? Math.round((count.finished * 100) / count.total) : 0;
  // The bar is a background image: one element, and the fraction is also written out in words.
  const fill = `ov-p${Math.round(percent / 10) * 10}`;
  return (
    <li>
      <a class={`ov-group ${fill}`} href={href} data-overview-target={target}>
        <span class="ov-title">{title}</span>
        <span class="ov-count">
          {count.finished} of {count.total} finished
          {count.optional ? `, ${count.optional} optional` : ''}
        </span>
      </a>
    </li>
  );
}

export function Overview({
  roadmap,
  counted,
  isOptional,
  titleOf,
}: {
  roadmap: Roadmap;
  /** A topic as the counts see it: status, "choose one of" set, whether it stands for its set. */
  counted: (id: string) => CountedTopic;
  isOptional: (id: string) => boolean;
  titleOf: (id: string) => string;
}): VNode {
  return (
    <nav class="overview" id="overview" aria-labelledby="overview-title" tabindex={-1}>
      <h2 id="overview-title" class="overview-title">
        Overview <span class="muted">— every step and group; pick one to see its topics</span>
      </h2>
      <ol class="ov-spine">
        {roadmap.steps.map((step, stepIndex) => {
          const count = countOf(step.topicIds, counted, isOptional);
          return (
            <li class="ov-step" key={step.id}>
              <a class="ov-head" href={`#step-${step.id}`} data-overview-target={`d-${step.id}`}>
                <span class="ov-num" aria-hidden="true">
                  {stepIndex + 1}
                </span>
                <span class="ov-step-title">
                  <span class="visually-hidden">Step {stepIndex + 1}: </span>
                  {step.title}
                </span>
                <span class="ov-count" data-step-overview={step.id}>
                  {count.finished} of {count.total} finished
                </span>
              </a>
              <ul class="ov-groups">
                {step.groups.map((group, groupIndex) => (
                  <Chip
                    key={groupIndex}
                    href={`#group-${step.id}-${groupIndex}`}
                    target={`dg-${step.id}-${groupIndex}`}
                    title={group.title}
                    count={countOf(group.topicIds, counted, isOptional)}
                  />
                ))}
              </ul>
            </li>
          );
        })}
        {roadmap.tools.length > 0 ? (
          <li class="ov-step ov-tools">
            <a class="ov-head" href="#step-tools" data-overview-target="d-tools">
              <span class="ov-num" aria-hidden="true">
                T
              </span>
              <span class="ov-step-title">Tools</span>
              <span class="ov-count">{roadmap.tools.length} tools, each also a topic in its step</span>
            </a>
            <ul class="ov-groups">
              {roadmap.tools.map((id) => (
                <li key={id}>
                  <a class="ov-group ov-tool" href={topicPath(roadmap.id, id)} data-topic-link={id}>
                    <span class="ov-title">{titleOf(id)}</span>
                  </a>
                </li>
              ))}
            </ul>
          </li>
        ) : null}
      </ol>
    </nav>
  );
}
