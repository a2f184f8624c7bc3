import type { VNode } from 'preact';
import type { Content, Roadmap } from '../../content/content.types.js';
import { FormError, type FormState } from '../../web/components/forms.js';
import { addDays, mondayOf } from '../dates.js';
import type { PlanView } from '../plan.presenter.js';
import { MAX_SESSION_MINUTES, MIN_SESSION_MINUTES, sessionLength } from '../plan.settings.js';
import {
  MAX_HOURS_PER_WEEK,
  MAX_PLAN_WEEKS,
  MIN_HOURS_PER_WEEK,
  WEEKDAYS,
  isIncluded,
} from '../scheduler.js';
import { formatRange, hours } from './format.js';

// The plan settings form (start, hours, days, study time, weeks off, topics, time zone). Works without
// JavaScript; the planner island only adds a live preview.

const DAY_NAMES: Record<(typeof WEEKDAYS)[number], string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};

/** The fields in the order the form shows them. */
const FIELD_ORDER = ['startDate', 'hoursPerWeek', 'targetWeeks', 'timeZone', 'studyTime', 'sessionMinutes'];

export function SettingsForm(props: {
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
  // The first field to fix takes the focus as the page loads (works without JavaScript).
  const firstRefused = FIELD_ORDER.find((name) => error(name));
  const focus = (name: string) => (firstRefused === name ? true : undefined);
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
            autoFocus={focus('startDate')}
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
            autoFocus={focus('hoursPerWeek')}
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
            autoFocus={focus('targetWeeks')}
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
            autoFocus={focus('timeZone')}
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
            autoFocus={focus('studyTime')}
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
            autoFocus={focus('sessionMinutes')}
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
