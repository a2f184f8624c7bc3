import type { VNode } from 'preact';
import type { Content, Roadmap } from '../../content/content.types.js';
import { FormError, type FormState } from '../../web/components/forms.js';
import { Icon } from '../../web/components/icons.js';
import { StatusBadge } from '../../web/components/progress.js';
import { topicPath } from '../../web/components/topic.js';
import { Layout, type PageContext } from '../../web/layout.js';
import { addDays, mondayOf } from '../dates.js';
import type { PlanView, VersionSummary, WeekView } from '../plan.service.js';
import { CHECKIN_MAX_LENGTH } from '../plan.service.js';
import { MAX_SESSION_MINUTES, MIN_SESSION_MINUTES, sessionLength } from '../plan.settings.js';
import {
  MAX_HOURS_PER_WEEK,
  MAX_PLAN_WEEKS,
  MIN_HOURS_PER_WEEK,
  WEEKDAYS,
  isIncluded,
} from '../scheduler.js';
import type { PlanState, VersionReason } from '../plan.tracking.js';
import { formatDay, formatInstant, formatLongDay, formatRange, hours, hoursText, plural } from './format.js';

// The plan page: where the learner stands, the one-click re-plan choices, the weeks with their goals,
// scorecards and check-in notes, the settings form, the calendar feed and the plan's versions. Every
// form posts to a /roadmaps/:id/plan/… route and works without JavaScript.

export const STATE_TEXT: Record<PlanState, string> = {
  'not-started': 'Not started yet',
  'on-track': 'On track',
  ahead: 'Ahead',
  behind: 'Behind',
  finished: 'Finished',
};

const STATE_ICON: Record<PlanState, 'pending' | 'done' | 'learning' | 'arrowRight' | 'official'> = {
  'not-started': 'pending',
  'on-track': 'done',
  ahead: 'arrowRight',
  behind: 'learning',
  finished: 'official',
};

export const REASON_TEXT: Record<VersionReason, string> = {
  created: 'Plan created',
  settings: 'Settings changed',
  'replan-extend': 'Re-planned: same hours, later finish',
  'replan-keep-finish': 'Re-planned: kept the finish date',
  imported: 'Imported',
};

const DAY_NAMES: Record<(typeof WEEKDAYS)[number], string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};

export interface PlanPageProps {
  context: PageContext;
  content: Content;
  roadmap: Roadmap;
  plan: PlanView;
  versions: VersionSummary[];
  settingsForm: FormState | null;
  /** A feed URL just created (shown once). */
  newFeedUrl: string | null;
  timeZones: readonly string[];
}

/** "Behind by 12 hours" as icon + words. */
export function PlanStateBadge({ plan }: { plan: Pick<PlanView, 'status'> }): VNode {
  const { state, hoursAhead } = plan.status;
  const detail = state === 'ahead' || state === 'behind' ? ` by ${hoursText(Math.abs(hoursAhead))}` : '';
  return (
    <span class={`plan-state state-${state}`}>
      <Icon name={STATE_ICON[state]} />
      <span>
        {STATE_TEXT[state]}
        {detail}
      </span>
    </span>
  );
}

function Summary({ plan }: { plan: PlanView }): VNode {
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

function Replan({ plan }: { plan: PlanView }): VNode | null {
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
  return (
    <section class="card plan-replan" aria-labelledby="replan-title">
      <h2 id="replan-title">Re-plan from today{plan.status.state === 'behind' ? '' : ' (optional)'}</h2>
      <p class="muted">
        Life happens. Both choices keep the weeks behind you as they were and re-plan what is left (
        {hoursText(plan.status.remainingHours)}) from today. Your current plan stays in the version history.
      </p>
      <div class="replan-choices">
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

function Feasibility({ plan }: { plan: PlanView }): VNode | null {
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

function Week({ plan, week, total }: { plan: PlanView; week: WeekView; total: number }): VNode {
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

function SettingsForm(props: {
  plan: PlanView;
  content: Content;
  roadmap: Roadmap;
  form: FormState | null;
  timeZones: readonly string[];
}): VNode {
  const { plan, content, roadmap, form } = props;
  const s = plan.settings;
  const value = (name: string, fallback: string) => form?.values[name] ?? fallback;
  const error = (name: string) => form?.fields[name];
  const described = (name: string, hint = true) =>
    [hint ? `${name}-hint` : '', error(name) ? `${name}-error` : ''].filter(Boolean).join(' ') || undefined;
  const fieldError = (name: string) =>
    error(name) ? (
      <p class="field-error" id={`${name}-error`}>
        {error(name)}
      </p>
    ) : null;
  const firstMonday = mondayOf(s.startDate);
  const lastWeek =
    Math.max(s.targetWeeks, plan.feasibility.weeksNeeded ?? 0, (plan.weeks.at(-1)?.index ?? 0) + 1) + 4;
  const weekChoices = Array.from({ length: Math.min(MAX_PLAN_WEEKS, lastWeek) }, (_, i) =>
    addDays(firstMonday, i * 7),
  ).filter((monday) => addDays(monday, 6) >= plan.today || s.weeksOff.includes(monday));
  return (
    <form method="post" action={`/roadmaps/${plan.roadmapId}/plan/settings`} class="plan-settings" novalidate>
      <FormError message={form?.form ?? null} />
      <div class="settings-grid">
        <div class="field">
          <label for="startDate">Start date</label>
          <span class="field-hint" id="startDate-hint">
            Week 1 is the week of this day.
          </span>
          <input
            id="startDate"
            name="startDate"
            type="date"
            value={value('startDate', s.startDate)}
            required
            aria-invalid={error('startDate') ? 'true' : undefined}
            aria-describedby={described('startDate')}
          />
          {fieldError('startDate')}
        </div>
        <div class="field">
          <label for="hoursPerWeek">Hours a week</label>
          <span class="field-hint" id="hoursPerWeek-hint">
            {MIN_HOURS_PER_WEEK}–{MAX_HOURS_PER_WEEK}; the roadmap suggests {roadmap.hoursPerWeek}.
          </span>
          <input
            id="hoursPerWeek"
            name="hoursPerWeek"
            type="number"
            inputMode="numeric"
            min={MIN_HOURS_PER_WEEK}
            max={MAX_HOURS_PER_WEEK}
            step={1}
            value={value('hoursPerWeek', String(s.hoursPerWeek))}
            required
            aria-invalid={error('hoursPerWeek') ? 'true' : undefined}
            aria-describedby={described('hoursPerWeek')}
          />
          {fieldError('hoursPerWeek')}
        </div>
        <div class="field">
          <label for="targetWeeks">Target length in weeks</label>
          <span class="field-hint" id="targetWeeks-hint">
            {roadmap.weeks} weeks is about {Math.round(roadmap.weeks / 4.33)} months.
          </span>
          <input
            id="targetWeeks"
            name="targetWeeks"
            type="number"
            inputMode="numeric"
            min={1}
            max={MAX_PLAN_WEEKS}
            step={1}
            value={value('targetWeeks', String(s.targetWeeks))}
            required
            aria-invalid={error('targetWeeks') ? 'true' : undefined}
            aria-describedby={described('targetWeeks')}
          />
          {fieldError('targetWeeks')}
        </div>
        <div class="field">
          <label for="timeZone">Time zone</label>
          <span class="field-hint" id="timeZone-hint">
            e.g. Europe/Berlin
          </span>
          <input
            id="timeZone"
            name="timeZone"
            type="text"
            list="time-zones"
            autocomplete="off"
            spellcheck={false}
            value={value('timeZone', s.timeZone)}
            required
            data-detect-zone={plan.saved ? undefined : ''}
            aria-invalid={error('timeZone') ? 'true' : undefined}
            aria-describedby={described('timeZone')}
          />
          <datalist id="time-zones">
            {props.timeZones.map((zone) => (
              <option key={zone} value={zone} />
            ))}
          </datalist>
          {fieldError('timeZone')}
        </div>
      </div>

      <fieldset class="day-picker" aria-describedby={error('studyDays') ? 'studyDays-error' : undefined}>
        <legend>Study days</legend>
        {WEEKDAYS.map((day) => {
          const checked =
            form?.values.studyDays !== undefined
              ? form.values.studyDays.split(',').includes(day)
              : s.studyDays.includes(day);
          return (
            <label key={day} class="day-choice">
              <input type="checkbox" name="studyDays" value={day} checked={checked} />
              <span>
                {DAY_NAMES[day].slice(0, 3)}
                <span class="visually-hidden">{DAY_NAMES[day].slice(3)}</span>
              </span>
            </label>
          );
        })}
        {fieldError('studyDays')}
      </fieldset>

      <div class="settings-grid">
        <div class="field">
          <label for="studyTime">Study time (optional)</label>
          <span class="field-hint" id="studyTime-hint">
            Adds a study session on each study day to your calendar.
          </span>
          <input
            id="studyTime"
            name="studyTime"
            type="time"
            value={value('studyTime', s.studyTime ?? '')}
            aria-invalid={error('studyTime') ? 'true' : undefined}
            aria-describedby={described('studyTime')}
          />
          {fieldError('studyTime')}
        </div>
        <div class="field">
          <label for="sessionMinutes">Session length in minutes (optional)</label>
          <span class="field-hint" id="sessionMinutes-hint">
            Empty: your weekly hours spread over your study days ({sessionLength(s)} min now).
          </span>
          <input
            id="sessionMinutes"
            name="sessionMinutes"
            type="number"
            inputMode="numeric"
            min={MIN_SESSION_MINUTES}
            max={MAX_SESSION_MINUTES}
            step={5}
            value={value('sessionMinutes', s.sessionMinutes === null ? '' : String(s.sessionMinutes))}
            aria-invalid={error('sessionMinutes') ? 'true' : undefined}
            aria-describedby={described('sessionMinutes')}
          />
          {fieldError('sessionMinutes')}
        </div>
      </div>

      <div class="check-field">
        <input id="includeOptional" type="checkbox" name="includeOptional" checked={s.includeOptional} />
        <label for="includeOptional">Include all optional topics</label>
      </div>

      <details class="settings-more">
        <summary>Weeks off ({s.weeksOff.length})</summary>
        <input type="hidden" name="weeksOffShown" value="1" />
        <fieldset class="weeks-off">
          <legend class="visually-hidden">Weeks with no study</legend>
          {weekChoices.map((monday) => (
            <label key={monday} class="week-choice">
              <input type="checkbox" name="weeksOff" value={monday} checked={s.weeksOff.includes(monday)} />
              <span>
                Week {Math.round((Date.parse(monday) - Date.parse(firstMonday)) / 604_800_000) + 1} ·{' '}
                {formatRange(monday, addDays(monday, 6))}
              </span>
            </label>
          ))}
        </fieldset>
      </details>

      <details class="settings-more">
        <summary>
          Choose topics (
          {plan.weeks.length
            ? `${countIncluded(content, roadmap, s)} of ${roadmap.topicIds.length} in the plan`
            : 'all'}
          )
        </summary>
        <input type="hidden" name="topicsShown" value="1" />
        <p class="field-hint">
          Untick a topic to leave it out; tick an optional topic to add it. Done and skipped topics are never
          scheduled.
        </p>
        {roadmap.steps.map((step) => (
          <fieldset key={step.id} class="topic-picker">
            <legend>{step.title}</legend>
            {step.topicIds.map((id) => {
              const topic = content.topics.get(id);
              if (!topic) return null;
              return (
                <label key={id} class="topic-choice">
                  <input type="checkbox" name="topics" value={id} checked={isIncluded(topic, s)} />
                  <span>
                    {topic.title}
                    {topic.optional ? <span class="muted"> (optional)</span> : null}{' '}
                    <span class="muted">· {hours(topic.estimateHours)} h</span>
                  </span>
                </label>
              );
            })}
          </fieldset>
        ))}
      </details>

      <button type="submit" class="button">
        {plan.saved ? 'Save and re-plan' : 'Save this plan'}
      </button>
    </form>
  );
}

function countIncluded(content: Content, roadmap: Roadmap, settings: PlanView['settings']): number {
  return roadmap.topicIds.filter((id) => {
    const topic = content.topics.get(id);
    return topic ? isIncluded(topic, settings) : false;
  }).length;
}

function Calendar({ plan, newFeedUrl }: { plan: PlanView; newFeedUrl: string | null }): VNode {
  const base = `/roadmaps/${plan.roadmapId}/plan`;
  return (
    <section class="card plan-calendar" id="calendar" aria-labelledby="calendar-title">
      <h2 id="calendar-title">Calendar</h2>
      {!plan.saved ? (
        <p class="muted">Save your plan to download it as a calendar or subscribe to it.</p>
      ) : (
        <>
          <p>
            One all-day event per week with its goals
            {plan.settings.studyTime
              ? `, and a ${sessionLength(plan.settings)}-minute study session at ${plan.settings.studyTime} (${plan.settings.timeZone}) on each study day`
              : ''}
            .
          </p>
          <p>
            <a class="button button-quiet" href={`/api/v1/roadmaps/${plan.roadmapId}/plan.ics`} download="">
              <Icon name="download" /> Download .ics
            </a>
          </p>
          <h3>Private subscription link</h3>
          {newFeedUrl ? (
            <div class="secret-box feed-box" role="status">
              <label for="feed-url">Your feed URL — copy it now, it is shown only once:</label>
              <div class="feed-row">
                <input id="feed-url" type="text" readonly value={newFeedUrl} class="feed-url" />
                <button type="button" class="button button-small" data-copy="feed-url" hidden>
                  Copy
                </button>
              </div>
              <p class="field-hint">
                Add it in your calendar app as a subscription (“From URL”). Anyone with the link can see your
                plan: revoke it if it leaks.
              </p>
            </div>
          ) : null}
          {plan.feed.active ? (
            <p>
              A feed link is active (created {formatInstant(plan.feed.createdAt!, plan.settings.timeZone)}
              {plan.feed.lastUsedAt
                ? `, last fetched ${formatInstant(plan.feed.lastUsedAt, plan.settings.timeZone)}`
                : ', not fetched yet'}
              ).
            </p>
          ) : (
            <p class="muted">
              Calendar apps can follow your plan as it changes through a private link. No link is active.
            </p>
          )}
          <div class="feed-actions">
            <form method="post" action={`${base}/feed`} class="inline-form">
              <button type="submit" class="button button-small">
                {plan.feed.active ? 'Replace the link' : 'Create a link'}
              </button>
            </form>
            {plan.feed.active ? (
              <form method="post" action={`${base}/feed/revoke`} class="inline-form">
                <button type="submit" class="button button-quiet button-small">
                  Revoke the link
                </button>
              </form>
            ) : null}
          </div>
        </>
      )}
    </section>
  );
}

export function Versions({ plan, versions }: { plan: PlanView; versions: VersionSummary[] }): VNode | null {
  if (versions.length === 0) return null;
  return (
    <section class="card plan-versions" id="versions" aria-labelledby="versions-title">
      <h2 id="versions-title">How your plan changed</h2>
      <div class="table-scroll">
        <table class="data-table">
          <caption class="visually-hidden">Versions of your plan, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Made</th>
              <th scope="col">Why</th>
              <th scope="col">Hours a week</th>
              <th scope="col">Planned finish</th>
            </tr>
          </thead>
          <tbody>
            {versions.map((v) => (
              <tr key={v.version}>
                <th scope="row">
                  <a href={`/roadmaps/${plan.roadmapId}/plan/versions/${v.version}`}>
                    {v.version}
                    {v.current ? ' (current)' : ''}
                  </a>
                </th>
                <td>{formatInstant(v.createdAt, plan.settings.timeZone)}</td>
                <td>{REASON_TEXT[v.reason]}</td>
                <td>{v.hoursPerWeek}</td>
                <td>{v.feasibility.plannedFinish ? formatDay(v.feasibility.plannedFinish) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function PlanPage(props: PlanPageProps): VNode {
  const { context, plan, roadmap } = props;
  const total = Math.max((plan.weeks.at(-1)?.index ?? 0) + 1, 1);
  const s = plan.settings;
  const base = `/roadmaps/${roadmap.id}/plan`;
  // A new visitor adjusts the settings first; someone with a plan mostly reads the weeks.
  const settings = (
    <section class="card plan-settings-section" id="settings" aria-labelledby="settings-title">
      <h2 id="settings-title">Settings</h2>
      <SettingsForm
        plan={plan}
        content={props.content}
        roadmap={roadmap}
        form={props.settingsForm}
        timeZones={props.timeZones}
      />
    </section>
  );
  return (
    <Layout
      {...context}
      title={`Plan: ${roadmap.title}`}
      active="plan"
      styles={['plan/plan']}
      scripts={['plan/planner']}
      bodyClass="page-plan"
      description={`Your weekly plan for the ${roadmap.title} roadmap.`}
    >
      <div class="plan-head">
        <div>
          <h1>Your plan: {roadmap.title}</h1>
          <p class="lead">
            {s.hoursPerWeek} hours a week on {plural(s.studyDays.length, 'day')} · starts{' '}
            {formatLongDay(s.startDate)} · target {plural(s.targetWeeks, 'week')} (
            {formatLongDay(plan.feasibility.targetFinish)})
          </p>
        </div>
        <nav class="plan-links" aria-label="Plan pages">
          <a href={`${base}/print`}>
            <Icon name="print" /> Print
          </a>
          <a href={`/dashboard?roadmap=${roadmap.id}`}>Dashboard</a>
          <a href={`/roadmaps/${roadmap.id}`}>Roadmap</a>
        </nav>
      </div>

      {props.settingsForm ? (
        <div class="plan-notice notice-infeasible" role="alert">
          <p>
            <strong>Your settings were not saved.</strong> <a href="#settings">See what to change</a>.
          </p>
        </div>
      ) : null}
      {!plan.saved ? (
        <div class="plan-notice notice-preview" role="note">
          <p>
            <strong>This is a preview</strong> from the suggested settings.{' '}
            <a href="#settings">Adjust them</a> and save — no account needed; sign up later to keep your plan
            on every device.
          </p>
        </div>
      ) : null}
      <Feasibility plan={plan} />
      {plan.saved ? <Summary plan={plan} /> : null}
      <Replan plan={plan} />
      {plan.saved ? null : settings}

      <section class="plan-weeks-section" aria-labelledby="weeks-title">
        <h2 id="weeks-title">Weekly goals</h2>
        {plan.weeks.length === 0 ? (
          <p>
            {plan.feasibility.hoursNeeded === 0
              ? 'Everything in this plan is done or skipped. Well done!'
              : 'No weeks to show.'}
          </p>
        ) : (
          <ol class="plan-weeks plain-list">
            {plan.weeks.map((week) => (
              <Week key={week.index} plan={plan} week={week} total={total} />
            ))}
          </ol>
        )}
      </section>

      {plan.saved ? settings : null}
      <Calendar plan={plan} newFeedUrl={props.newFeedUrl} />
      <Versions plan={plan} versions={props.versions} />
      <p class="muted plan-api">
        The same plan as JSON:{' '}
        <a href={`/api/v1/roadmaps/${roadmap.id}/plan`}>/api/v1/roadmaps/{roadmap.id}/plan</a>.
      </p>
    </Layout>
  );
}
