import type { VNode } from 'preact';
import type { Roadmap } from '../../content/content.types.js';
import { Icon } from '../../web/components/icons.js';
import { ProgressSummary, StatusBadge } from '../../web/components/progress.js';
import { topicPath } from '../../web/components/topic.js';
import { Layout, type PageContext } from '../../web/layout.js';
import type { Dashboard, NextUpItem } from '../dashboard.service.js';
import { BurnupChart, HeatmapChart } from './charts.js';
import { formatDay, hours, hoursText, plural } from '../../plan/pages/format.js';
import { PlanStateBadge } from '../../plan/pages/plan-state.js';

// The dashboard: progress overall and per step, streaks, the activity heatmap, the burn-up charts
// (planned vs actual, with the forecast) and what to study next. Server-rendered SVG, no script.

const REASON: Record<NextUpItem['reason'], string> = {
  overdue: 'overdue from an earlier week',
  'this-week': 'this week’s goal',
  upcoming: 'coming up next',
  'in-progress': 'you are learning this',
  next: 'next in the roadmap',
};

export interface DashboardPageProps {
  context: PageContext;
  roadmaps: Roadmap[];
  /** Null for a visitor who has not done anything yet. */
  dashboard: Dashboard | null;
  roadmap: Roadmap;
  /** Verified projects of this roadmap (from the projects feature); null when it ships none. */
  projects?: { verified: number; total: number } | null;
}

function RoadmapSwitch({ roadmaps, current }: { roadmaps: Roadmap[]; current: string }): VNode | null {
  if (roadmaps.length < 2) return null;
  return (
    <nav class="roadmap-switch" aria-label="Roadmap">
      <ul class="plain-list">
        {roadmaps.map((r) => (
          <li key={r.id}>
            <a href={`/dashboard?roadmap=${r.id}`} aria-current={r.id === current ? 'page' : undefined}>
              {r.title}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export function DashboardPage({
  context,
  roadmaps,
  dashboard,
  roadmap,
  projects,
}: DashboardPageProps): VNode {
  return (
    <Layout
      {...context}
      title="Dashboard"
      active="dashboard"
      styles={['plan/plan']}
      bodyClass="page-dashboard"
      description="Your progress, streaks and plan at a glance."
    >
      <div class="plan-head">
        <div>
          <h1>Dashboard</h1>
          <p class="lead">
            {roadmap.title}
            {dashboard
              ? ` · days counted in ${dashboard.timeZone} · today is ${formatDay(dashboard.today)}`
              : ''}
          </p>
        </div>
        <RoadmapSwitch roadmaps={roadmaps} current={roadmap.id} />
      </div>
      {dashboard ? <DashboardBody d={dashboard} /> : <Empty roadmap={roadmap} />}
      {projects && projects.total > 0 ? <ProjectsCount projects={projects} /> : null}
    </Layout>
  );
}

function Empty({ roadmap }: { roadmap: Roadmap }): VNode {
  return (
    <section class="card">
      <h2>Nothing here yet</h2>
      <p>
        Your progress, streaks and charts appear once you start. Open the{' '}
        <a href={`/roadmaps/${roadmap.id}`}>{roadmap.title} roadmap</a> and mark a topic as learning or done,
        or <a href={`/roadmaps/${roadmap.id}/plan`}>make a weekly plan</a>.
      </p>
    </section>
  );
}

function DashboardBody({ d }: { d: Dashboard }): VNode {
  return (
    <div class="dash-stack">
      <section class="dash-cards" aria-label="At a glance">
        <div class="card dash-card">
          <h2 class="stat-label">Progress</h2>
          <ProgressSummary counts={d.progress} id="dash-progress" label={`Progress on ${d.roadmapTitle}`} />
          <p class="stat-note">
            {hours(d.progress.hoursDone)} of {hoursText(d.progress.hoursTotal)} of study finished.
          </p>
        </div>
        <div class="card dash-card">
          <h2 class="stat-label">Streak</h2>
          <p class="stat-big">
            {d.streaks.current} <span class="stat-unit">{d.streaks.current === 1 ? 'day' : 'days'}</span>
          </p>
          <p class="stat-note">
            {d.streaks.activeToday
              ? 'You learned something today.'
              : d.streaks.current > 0
                ? 'Do something today to keep it going.'
                : d.streaks.lastActive
                  ? `Last active ${formatDay(d.streaks.lastActive)}.`
                  : 'Every day with a status change, note, ticked concept or review counts.'}{' '}
            Longest: {plural(d.streaks.longest, 'day')}.
          </p>
        </div>
        <div class="card dash-card">
          <h2 class="stat-label">Plan</h2>
          {d.plan ? (
            <>
              <p class="stat-value">
                <PlanStateBadge plan={d.plan} />
              </p>
              <p class="stat-note">
                {d.plan.status.forecast.atActualPace
                  ? `At your recent pace you finish around ${formatDay(d.plan.status.forecast.atActualPace)}`
                  : 'No topic finished in the last weeks, so no forecast at your pace yet'}
                ; target {formatDay(d.plan.status.forecast.targetFinish)}.{' '}
                <a href={`/roadmaps/${d.roadmapId}/plan`}>Open your plan</a>
              </p>
            </>
          ) : (
            <p class="stat-note">
              No plan yet. <a href={`/roadmaps/${d.roadmapId}/plan`}>Make a weekly plan</a> to see planned
              versus actual hours.
            </p>
          )}
        </div>
      </section>

      <div class="dash-columns">
        <section class="card" aria-labelledby="next-title">
          <h2 id="next-title">Next up</h2>
          {d.nextUp.length === 0 ? (
            <p>Nothing left: every topic is done or skipped.</p>
          ) : (
            <ol class="next-up plain-list">
              {d.nextUp.map((item) => (
                <li key={item.topicId} class={`next-item reason-${item.reason}`}>
                  <StatusBadge status={item.status} />
                  <div>
                    <a href={topicPath(d.roadmapId, item.topicId)}>{item.title}</a>
                    <span class="next-meta">
                      {REASON[item.reason]}
                      {item.weekIndex !== null ? ` (week ${item.weekIndex + 1})` : ''} · {hours(item.hours)} h
                    </span>
                  </div>
                </li>
              ))}
            </ol>
          )}
        </section>
        <section class="card" aria-labelledby="steps-title">
          <h2 id="steps-title">Progress by step</h2>
          <ol class="step-progress plain-list">
            {d.progress.steps.map((step, i) => {
              const finished = step.done + step.skipped;
              return (
                <li key={step.stepId}>
                  <div class="step-row">
                    <span class="step-name" id={`step-${step.stepId}`}>
                      {i + 1}. {step.title}
                    </span>
                    <span class="step-count">
                      {finished}/{step.total} · {step.percent}%
                    </span>
                  </div>
                  <progress
                    class="progress-meter"
                    max={Math.max(1, step.total)}
                    value={finished}
                    aria-labelledby={`step-${step.stepId}`}
                  ></progress>
                </li>
              );
            })}
          </ol>
        </section>
      </div>

      <section class="card" aria-labelledby="activity-title">
        <h2 id="activity-title">Activity</h2>
        <p class="muted">
          Current streak {plural(d.streaks.current, 'day')}, longest {plural(d.streaks.longest, 'day')}.
        </p>
        <HeatmapChart data={d.heatmap} id="heatmap" />
      </section>

      <section class="card" aria-labelledby="burnup-title">
        <h2 id="burnup-title">Planned versus actual</h2>
        {d.burnup ? (
          <div class="burnups">
            <BurnupChart data={d.burnup.hours} id="burnup-hours" title="Hours finished" />
            <BurnupChart data={d.burnup.topics} id="burnup-topics" title="Topics finished" />
          </div>
        ) : (
          <p>
            <Icon name="arrowRight" /> <a href={`/roadmaps/${d.roadmapId}/plan`}>Save a plan</a> to compare
            what you planned with what you did.
          </p>
        )}
      </section>
    </div>
  );
}

function ProjectsCount({ projects }: { projects: { verified: number; total: number } }): VNode {
  return (
    <section class="card dash-card" aria-labelledby="projects-count-title">
      <h2 class="stat-label" id="projects-count-title">
        Verified projects
      </h2>
      <p class="stat-big">
        {projects.verified} <span class="stat-unit">of {projects.total}</span>
      </p>
      <p class="stat-note">
        Projects whose checks Waymark ran against your API and saw pass.{' '}
        <a href="/projects">See the projects</a>
      </p>
    </section>
  );
}
