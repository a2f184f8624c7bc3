import type { VNode } from 'preact';
import { StatusBadge } from '../../web/components/progress.js';
import { topicPath } from '../../web/components/topic.js';
import type { PlanView, WeekView } from '../plan.presenter.js';
import { CHECKIN_MAX_LENGTH } from '../plan.checkins.js';
import { formatRange, hours, plural } from './format.js';

// The weekly goals: each week's goals with status and topic links, its scorecard and check-in note.

export function GoalList({
  roadmapId,
  week,
  label,
}: {
  roadmapId: string;
  week: WeekView;
  label?: string;
}): VNode {
  return (
    <ul class="goals plain-list" aria-label={label}>
      {week.items.map((item) => (
        <li key={`${item.topicId}-${item.part}`} class={`goal s-${item.status}`}>
          <StatusBadge status={item.status} />
          <span class="goal-title">
            <a href={topicPath(roadmapId, item.topicId)}>{item.title}</a>
            {item.parts > 1 ? (
              <span class="goal-part">
                part {item.part}/{item.parts}
              </span>
            ) : null}
          </span>
          <span class="goal-hours">{hours(item.hours)} h</span>
        </li>
      ))}
    </ul>
  );
}

export function Week({ plan, week, total }: { plan: PlanView; week: WeekView; total: number }): VNode {
  const id = `week-${week.index + 1}`;
  const past = week.end < plan.today;
  const state = week.current ? 'current' : past ? 'past' : 'future';
  return (
    <li
      id={id}
      class={`plan-week week-${state}${week.off ? ' week-off' : ''}`}
      aria-current={week.current ? 'date' : undefined}
    >
      <div class="week-head">
        <h3 id={`${id}-title`}>
          Week {week.index + 1}
          <span class="muted"> of {total}</span>
          {week.current ? <span class="week-now">This week</span> : null}
        </h3>
        <p class="week-dates">
          {formatRange(week.start, week.end)} · {week.off ? 'week off' : `${hours(week.hours)} h planned`}
        </p>
      </div>
      {week.off ? (
        <p class="muted">A week off: nothing planned.</p>
      ) : week.items.length === 0 ? (
        <p class="muted">
          Nothing planned{week.capacityHours === 0 ? ' (no study days left in this week)' : ''}.
        </p>
      ) : (
        <GoalList roadmapId={plan.roadmapId} week={week} label={`Goals of week ${week.index + 1}`} />
      )}
      {week.tools.length > 0 ? (
        <p class="week-tools">
          <span class="visually-hidden">Tools and languages: </span>
          {week.tools.map((tool) => (
            <span class="tool-chip" key={tool}>
              {tool}
            </span>
          ))}
        </p>
      ) : null}
      {week.scorecard && !week.off && plan.saved ? <Checkin plan={plan} week={week} /> : null}
    </li>
  );
}

function Checkin({ plan, week }: { plan: PlanView; week: WeekView }): VNode {
  const card = week.scorecard!;
  const noteId = `checkin-${week.index + 1}`;
  const base = `/roadmaps/${plan.roadmapId}/plan/weeks/${week.index}/checkin`;
  return (
    <div class="week-checkin">
      <p class="scorecard">
        <strong>{card.finished ? 'Scorecard' : 'So far'}:</strong> {card.goalsDone} of{' '}
        {plural(card.goalsPlanned, 'goal')} done
        {card.finished ? ' by the end of the week' : ''} · {hours(card.hoursDone)} of{' '}
        {hours(card.hoursPlanned)} hours
      </p>
      <details
        open={card.finished && !week.checkin && week.index === plan.status.currentWeek - 1 ? true : undefined}
      >
        <summary>
          {week.checkin
            ? 'Your reflection'
            : card.finished
              ? 'Add a reflection for this week'
              : 'Reflection note'}
        </summary>
        <form
          method="post"
          action={base}
          class="checkin-form"
          data-api={`PUT /api/v1${base}`}
          data-then="stay"
          data-success="Reflection saved."
        >
          <label for={noteId}>What went well, what got in the way, what to change next week?</label>
          <textarea
            id={noteId}
            name="note"
            maxLength={CHECKIN_MAX_LENGTH}
            rows={3}
            value={week.checkin?.note ?? ''}
          />
          <button type="submit" class="button button-small">
            Save reflection<span class="visually-hidden"> for week {week.index + 1}</span>
          </button>
          <p class="checkin-saved" role="status" hidden data-form-success=""></p>
        </form>
      </details>
    </div>
  );
}
