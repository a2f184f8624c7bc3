import type { VNode } from 'preact';
import type { PlanView } from '../plan.presenter.js';
import { MAX_HOURS_PER_WEEK } from '../scheduler.js';
import { formatDay, hours, hoursText, plural } from './format.js';
import { PlanStateBadge } from './plan-state.js';

// The top of the plan page: where the learner stands, whether the settings fit, and the one-click re-plans.

export function Summary({ plan }: { plan: PlanView }): VNode {
  const { status, settings } = plan;
  const f = status.forecast;
  return (
    <section class="plan-summary" aria-labelledby="plan-status-title">
      <h2 id="plan-status-title" class="visually-hidden">
        Where you stand
      </h2>
      <div class="card plan-stat">
        <p class="stat-label">Status</p>
        <p class="stat-value">
          <PlanStateBadge plan={plan} />
        </p>
        <p class="stat-note">
          {status.currentWeek >= 0 ? `Week ${status.currentWeek + 1}. ` : ''}
          {hours(status.completedHours)} of {hours(status.totalHours)} planned hours finished;{' '}
          {hours(status.plannedHoursToDate)} were due by the start of this week.
        </p>
        <progress
          class="progress-meter"
          max={Math.max(1, status.totalHours)}
          value={status.completedHours}
          aria-label="Planned hours finished"
        ></progress>
      </div>
      <div class="card plan-stat">
        <p class="stat-label">Finish</p>
        <dl class="plan-dates">
          <div>
            <dt>Your target</dt>
            <dd>{formatDay(f.targetFinish)}</dd>
          </div>
          <div>
            <dt>This plan</dt>
            <dd>{f.plannedFinish ? formatDay(f.plannedFinish) : '—'}</dd>
          </div>
          <div>
            <dt>At the planned pace ({settings.hoursPerWeek} h/week) from today</dt>
            <dd>{f.atPlannedPace ? formatDay(f.atPlannedPace) : '—'}</dd>
          </div>
          <div>
            <dt>
              At your recent pace ({hours(status.pace.hoursPerWeek)} h/week over{' '}
              {plural(status.pace.windowDays, 'day')})
            </dt>
            <dd>{f.atActualPace ? formatDay(f.atActualPace) : 'no topic finished recently'}</dd>
          </div>
        </dl>
      </div>
    </section>
  );
}

export function Replan({ plan }: { plan: PlanView }): VNode | null {
  const choices = plan.replan;
  if (!choices || plan.status.state === 'finished' || plan.status.state === 'not-started') return null;
  const base = `/roadmaps/${plan.roadmapId}/plan`;
  const planned = plan.feasibility.plannedFinish;
  const extendFinish = choices.extend.finish;
  const shift =
    planned && extendFinish ? Math.round((Date.parse(extendFinish) - Date.parse(planned)) / 604_800_000) : 0;
  const shiftText =
    shift > 0
      ? ` (${plural(shift, 'week')} later than planned)`
      : shift < 0
        ? ` (${plural(-shift, 'week')} earlier than planned)`
        : ' (as planned)';
  const keepHours = choices.keepFinish.hoursPerWeek;
  // Only choices that change something: the same hours with the same finish, or "study the hours you
  // already plan", would store a new version identical in effect.
  const offerExtend = !(choices.extend.possible && shift === 0 && extendFinish === planned);
  const offerKeep = !(choices.keepFinish.possible && keepHours === plan.settings.hoursPerWeek);
  if (!offerExtend && !offerKeep) return null;
  return (
    <section class="card plan-replan" aria-labelledby="replan-title">
      <h2 id="replan-title">Re-plan from today{plan.status.state === 'behind' ? '' : ' (optional)'}</h2>
      <p class="muted">
        Life happens.{' '}
        {offerExtend && offerKeep
          ? 'Both choices keep the weeks behind you as they were and re-plan'
          : 'This choice keeps the weeks behind you as they were and re-plans'}{' '}
        what is left ({hoursText(plan.status.remainingHours)}) from today. Your current plan stays in the
        version history.
      </p>
      <div class="replan-choices">
        {offerExtend ? (
          <form method="post" action={`${base}/replan`} class="replan-choice">
            <input type="hidden" name="mode" value="extend" />
            <h3>Keep {plan.settings.hoursPerWeek} hours a week</h3>
            <p>
              {choices.extend.possible && extendFinish ? (
                <>
                  Finish on {formatDay(extendFinish)}
                  {shiftText}.
                </>
              ) : (
                choices.extend.message
              )}
            </p>
            <button type="submit" class="button" disabled={!choices.extend.possible}>
              {shift > 0 ? 'Re-plan, finish later' : `Re-plan at ${plan.settings.hoursPerWeek} h a week`}
            </button>
          </form>
        ) : null}
        {offerKeep ? (
          <form method="post" action={`${base}/replan`} class="replan-choice">
            <input type="hidden" name="mode" value="keep-finish" />
            <h3>Keep the finish date, {formatDay(choices.keepFinish.finish)}</h3>
            <p>
              {keepHours === null ? (
                choices.keepFinish.message
              ) : (
                <>
                  That takes <strong>{plural(keepHours, 'hour')} a week</strong> from now on (you plan{' '}
                  {plan.settings.hoursPerWeek}).
                </>
              )}
            </p>
            <button type="submit" class="button button-quiet" disabled={!choices.keepFinish.possible}>
              {keepHours !== null ? `Study ${keepHours} h a week` : 'Not possible'}
            </button>
          </form>
        ) : null}
      </div>
    </section>
  );
}

/** The scheduler's verdict in words, with dates a person reads (the API's `message` uses ISO dates). */
function feasibilityText(plan: PlanView): string {
  const f = plan.feasibility;
  const s = plan.settings;
  const fix =
    f.hoursPerWeekNeeded !== null
      ? `To finish by ${formatDay(f.targetFinish)}, study ${f.hoursPerWeekNeeded} hours a week, choose a later target, or leave out some topics.`
      : `Even ${MAX_HOURS_PER_WEEK} hours a week would not finish by ${formatDay(f.targetFinish)}: choose a later target or leave out some topics.`;
  if (f.status === 'infeasible' || f.weeksNeeded === null) {
    return `At ${s.hoursPerWeek} hours a week, the ${hours(f.hoursNeeded)} hours left would take more than three years; your ${s.targetWeeks}-week target has room for ${hours(f.hoursAvailable)} hours. ${fix}`;
  }
  return `At ${s.hoursPerWeek} hours a week, the ${hours(f.hoursNeeded)} hours left take ${f.weeksNeeded} weeks (until ${formatDay(f.plannedFinish!)}), ${plural(f.weeksNeeded - s.targetWeeks, 'week')} more than your ${s.targetWeeks}-week target, which has room for ${hours(f.hoursAvailable)} hours. ${fix}`;
}

export function Feasibility({ plan }: { plan: PlanView }): VNode | null {
  const f = plan.feasibility;
  if (f.status === 'fits') return null;
  return (
    <div class={`plan-notice notice-${f.status}`} role="note">
      <p>
        <strong>
          {f.status === 'infeasible'
            ? 'These settings cannot make a plan.'
            : 'This plan ends after your target.'}
        </strong>{' '}
        {feasibilityText(plan)}
      </p>
      <p class="notice-numbers">
        Needed: {hoursText(f.hoursNeeded)} · available by your target: {hoursText(f.hoursAvailable)}
        {f.hoursPerWeekNeeded !== null ? ` · hours a week that would fit: ${f.hoursPerWeekNeeded}` : ''}
      </p>
    </div>
  );
}

/** A week's goals: status, topic link, "part n/m" for split topics, hours. Also used on the home page. */
