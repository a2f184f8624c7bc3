import type { VNode } from 'preact';
import type { Content, Roadmap } from '../../content/content.types.js';
import type { FormState } from '../../web/components/forms.js';
import { Icon } from '../../web/components/icons.js';
import { Layout, type PageContext } from '../../web/layout.js';
import type { PlanView, VersionSummary } from '../plan.presenter.js';
import { formatLongDay, plural } from './format.js';
import { Feasibility, Replan, Summary } from './plan-status.js';
import { Week } from './plan-weeks.js';
import { SettingsForm } from './plan-settings-form.js';
import { Calendar } from './plan-calendar.js';
import { Versions } from './plan-versions.js';

// The plan page: where the learner stands, the one-click re-plan choices, the weeks with their goals,
// scorecards and check-in notes, the settings form, the calendar feed and the plan's versions. Every
// form posts to a /roadmaps/:id/plan/… route and works without JavaScript.

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
      {/* Settings above the weeks: reachable without scrolling past months of goals, and where a
          saved or refused form lands (#settings). */}
      {settings}

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

      <Calendar plan={plan} newFeedUrl={props.newFeedUrl} />
      <Versions plan={plan} versions={props.versions} />
      <p class="muted plan-api">
        The same plan as JSON:{' '}
        <a href={`/api/v1/roadmaps/${roadmap.id}/plan`}>/api/v1/roadmaps/{roadmap.id}/plan</a>.
      </p>
    </Layout>
  );
}
