import type { VNode } from 'preact';
import type { Roadmap } from '../../content/content.types.js';
import { Layout, type PageContext } from '../../web/layout.js';
import type { PlanView } from '../plan.presenter.js';
import { formatLongDay, formatRange, hours, plural } from './format.js';

// The printable plan (A4): every week with its goals and a box to tick on paper; done and skipped goals
// are ticked already. The layout's print rules hide the navigation; plan's print.css keeps weeks unbroken.

const BOX: Record<string, string> = { pending: '☐', learning: '◪', done: '☑', skipped: '☒' };
const WORD: Record<string, string> = {
  pending: 'not started',
  learning: 'learning',
  done: 'done',
  skipped: 'skipped',
};

export function PlanPrintPage({
  context,
  roadmap,
  plan,
}: {
  context: PageContext;
  roadmap: Roadmap;
  plan: PlanView;
}): VNode {
  const s = plan.settings;
  const total = (plan.weeks.at(-1)?.index ?? 0) + 1;
  return (
    <Layout
      {...context}
      title={`Plan: ${roadmap.title} (printable)`}
      active="plan"
      styles={['plan/plan']}
      scripts={['web/print']}
      bodyClass="print-page plan-print"
    >
      <p class="print-actions">
        <a href={`/roadmaps/${roadmap.id}/plan`}>← Back to the plan</a> ·{' '}
        <button type="button" class="button button-small" data-print="" hidden>
          Print this page
        </button>{' '}
        <span class="muted">Or use your browser’s Print command (A4).</span>
      </p>
      <h1>
        {roadmap.title}: {plural(total, 'week')} of goals
      </h1>
      <p>
        {s.hoursPerWeek} hours a week from {formatLongDay(s.startDate)}; target{' '}
        {formatLongDay(plan.feasibility.targetFinish)}
        {plan.feasibility.plannedFinish
          ? `, planned finish ${formatLongDay(plan.feasibility.plannedFinish)}`
          : ''}
        . Key: ☐ to do, ◪ learning, ☑ done, ☒ skipped.
      </p>
      <ol class="print-weeks plain-list">
        {plan.weeks.map((week) => (
          <li key={week.index} class="print-week">
            <h2>
              <span>
                Week {week.index + 1} <span class="muted">· {formatRange(week.start, week.end)}</span>
              </span>
              <span class="print-hours">{week.off ? 'week off' : `${hours(week.hours)} h`}</span>
            </h2>
            {week.items.length > 0 ? (
              <ul class="plain-list print-goals">
                {week.items.map((item) => (
                  <li key={`${item.topicId}-${item.part}`}>
                    <span class="box" role="img" aria-label={WORD[item.status]}>
                      {BOX[item.status]}
                    </span>{' '}
                    {item.title}
                    {item.parts > 1 ? ` (part ${item.part}/${item.parts})` : ''}{' '}
                    <span class="muted">· {hours(item.hours)} h</span>
                  </li>
                ))}
              </ul>
            ) : null}
            {week.tools.length ? <p class="print-tools">Tools: {week.tools.join(', ')}</p> : null}
            {week.checkin?.note ? <p class="print-note">Reflection: {week.checkin.note}</p> : null}
          </li>
        ))}
      </ol>
    </Layout>
  );
}
