import type { VNode } from 'preact';
import type { Roadmap } from '../../content/content.types.js';
import { Layout, type PageContext } from '../../web/layout.js';
import type { VersionDetail } from '../plan.presenter.js';
import { REASON_TEXT } from './plan-state.js';
import { formatDay, formatInstant, formatRange, hours, plural } from './format.js';

/** One earlier (or the current) version of the plan, read-only. */
export function VersionPage({
  context,
  roadmap,
  version,
}: {
  context: PageContext;
  roadmap: Roadmap;
  version: VersionDetail;
}): VNode {
  const s = version.settings;
  return (
    <Layout
      {...context}
      title={`Plan version ${version.version}: ${roadmap.title}`}
      active="plan"
      styles={['plan/plan']}
      bodyClass="page-plan"
    >
      <p>
        <a href={`/roadmaps/${roadmap.id}/plan#versions`}>← Back to your plan</a>
      </p>
      <h1>
        Plan version {version.version}
        {version.current ? ' (current)' : ''}
      </h1>
      <p class="lead">
        {REASON_TEXT[version.reason]} on {formatInstant(version.createdAt, s.timeZone)}: {s.hoursPerWeek}{' '}
        hours a week from {formatDay(s.startDate)}, target {plural(s.targetWeeks, 'week')}.{' '}
        {version.feasibility.message}
      </p>
      <ol class="plan-weeks plain-list">
        {version.weeks.map((week) => (
          <li key={week.index} class={`plan-week${week.index < version.fromWeek ? ' week-carried' : ''}`}>
            <div class="week-head">
              <h2 class="week-title">Week {week.index + 1}</h2>
              <p class="week-dates">
                {formatRange(week.start, week.end)} ·{' '}
                {week.off ? 'week off' : `${hours(week.hours)} h planned`}
                {week.index < version.fromWeek ? ' · kept from the previous version' : ''}
              </p>
            </div>
            <ul class="goals plain-list">
              {week.items.map((item) => (
                <li key={`${item.topicId}-${item.part}`} class="goal">
                  {item.title}
                  {item.parts > 1 ? (
                    <span class="goal-part">
                      part {item.part}/{item.parts}
                    </span>
                  ) : null}
                  <span class="goal-hours">{hours(item.hours)} h</span>
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ol>
    </Layout>
  );
}
