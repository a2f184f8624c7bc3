import type { VNode } from 'preact';
import type { Content, Roadmap } from '../../content/content.types.js';
import type { RoadmapSummary } from '../../progress/progress.service.js';
import { Layout, type PageContext } from '../layout.js';
import { STATUS_WORD } from '../status.js';
import type { Status } from '../../progress/status.js';
import { alternativeRole } from '../roadmap/alternatives.js';

// The printable roadmap (A4): every step and topic with a box showing the visitor's status, the topic's
// short description and its resources with their addresses (paper has no links).

const BOX: Record<Status, string> = { pending: '☐', learning: '◪', done: '☑', skipped: '☒' };

export function PrintPage({
  context,
  content,
  roadmap,
  summary,
  statusOf,
  choices = new Map(),
}: {
  context: PageContext;
  content: Content;
  roadmap: Roadmap;
  summary: RoadmapSummary | null;
  statusOf: (id: string) => Status;
  /** The learner's pick in each "choose one of" set (setId -> topic id). */
  choices?: ReadonlyMap<string, string>;
}): VNode {
  return (
    <Layout
      {...context}
      title={`${roadmap.title} (printable)`}
      active="roadmaps"
      bodyClass="print-page"
      scripts={['web/print']}
    >
      <div class="print-roadmap">
        <p class="print-actions">
          <a href={`/roadmaps/${roadmap.id}`}>← Back to the roadmap</a> ·{' '}
          <button type="button" class="button button-small" data-print="" hidden>
            Print this page
          </button>{' '}
          <span class="muted">Or use your browser's Print command (A4).</span>
        </p>
        <h1>{roadmap.title}</h1>
        <p>{roadmap.summary}</p>
        <p class="muted">
          {roadmap.topicIds.length} topics, about {roadmap.weeks} weeks at {roadmap.hoursPerWeek} hours a
          week.
          {summary
            ? ` Finished: ${summary.done + summary.skipped} of ${summary.total} (${summary.percent}%).`
            : ''}{' '}
          Key: ☐ not started, ◪ learning, ☑ done, ☒ skipped.
        </p>
        {roadmap.steps.map((step, stepIndex) => (
          <section key={step.id} aria-labelledby={`print-step-${step.id}`}>
            <h2 id={`print-step-${step.id}`}>
              {stepIndex + 1}. {step.title}
            </h2>
            <p>{step.summary}</p>
            {step.groups.map((group, groupIndex) => (
              <section key={groupIndex}>
                <h3>{group.title}</h3>
                {group.topicIds.map((id) => {
                  const topic = content.topics.get(id);
                  if (!topic) return null;
                  const status = statusOf(id);
                  const set = roadmap.alternativeOf.get(id);
                  const role = alternativeRole(roadmap, choices, id);
                  return (
                    <div class="print-topic" key={id} data-topic={id}>
                      <span class="box" role="img" aria-label={STATUS_WORD[status]}>
                        {BOX[status]}
                      </span>
                      <div>
                        <h4>
                          {topic.title}
                          {set
                            ? ` (choose one of ${set.title}: ${role === 'chosen' ? 'chosen' : 'not chosen'})`
                            : topic.optional
                              ? ' (optional)'
                              : ''}{' '}
                          <span class="muted">· {topic.estimateHours} h</span>
                        </h4>
                        <p>{topic.summary}</p>
                        {topic.resources.length ? (
                          <ul>
                            {topic.resources.map((resource) => (
                              <li key={resource.url}>
                                {resource.title} — <span class="url">{resource.url}</span>
                              </li>
                            ))}
                          </ul>
                        ) : null}
                      </div>
                    </div>
                  );
                })}
              </section>
            ))}
          </section>
        ))}
      </div>
    </Layout>
  );
}
