import type { JSX, VNode } from 'preact';
import type { Content, Roadmap, Topic } from '../../content/content.types.js';
import type { RoadmapSummary } from '../../progress/progress.service.js';
import { Icon } from '../components/icons.js';
import { ProgressSummary, StatusBadge } from '../components/progress.js';
import { topicPath } from '../components/topic.js';
import { Layout, type PageContext } from '../layout.js';
import type { Status } from '../../progress/status.js';

export interface ContinueItem {
  roadmap: Roadmap;
  topic: Topic;
  status: Status;
  /** Why this topic: "You are learning this" / "Next in …". */
  reason: string;
}

export interface HomePageProps {
  context: PageContext;
  content: Content;
  summaries: Map<string, RoadmapSummary>;
  overall: { finished: number; total: number; learning: number } | null;
  next: ContinueItem | null;
  widgets: JSX.Element[];
  /** Stylesheets the widgets need (see `HomeWidget.styles`). */
  styles?: string[];
}

export function RoadmapCards({
  content,
  summaries,
  headingLevel,
}: {
  content: Content;
  summaries: Map<string, RoadmapSummary>;
  headingLevel: 'h2' | 'h3';
}): VNode {
  const Heading = headingLevel;
  return (
    <ul class="grid plain-list">
      {content.roadmapList.map((roadmap) => {
        const summary = summaries.get(roadmap.id);
        return (
          <li class="card roadmap-card" key={roadmap.id}>
            <Heading>
              <a href={`/roadmaps/${roadmap.id}`}>{roadmap.title}</a>
            </Heading>
            <p class="meta">
              {roadmap.topicIds.length} topics · about {roadmap.weeks} weeks at {roadmap.hoursPerWeek} h a
              week
            </p>
            <p>{roadmap.summary}</p>
            {summary ? (
              <ProgressSummary
                counts={summary}
                id={`progress-${roadmap.id}`}
                label={`Your progress on ${roadmap.title}`}
              />
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}

/** Guests are told nothing needs an account; an account just made is confirmed, not welcomed back. */
function heroTitle(context: PageContext, overall: HomePageProps['overall']): string {
  if (context.flash?.event === 'signed-up') return 'Your account is ready';
  return overall && overall.finished + overall.learning > 0
    ? 'Welcome back'
    : 'Find your way, one topic at a time';
}

function heroLead(context: PageContext): string {
  const user = context.user;
  if (user && !user.isGuest) {
    const saved = `Your progress is saved to ${user.email ?? 'your account'}: log in on any device to pick up where you left off.`;
    return context.flash?.event === 'signed-up'
      ? `You are signed in. ${saved} Anything you did as a guest in this browser is part of it.`
      : `Pick a roadmap, open a topic, mark it done. ${saved}`;
  }
  return 'Pick a roadmap, open a topic, mark it done. Your progress is saved as you go — no sign-up needed. Sign up later to keep it on every device.';
}

export function HomePage({
  context,
  content,
  summaries,
  overall,
  next,
  widgets,
  styles,
}: HomePageProps): VNode {
  return (
    <Layout
      {...context}
      styles={styles}
      title="Home"
      active="home"
      description="Learning roadmaps you can follow, tick off and take with you."
    >
      <section class="hero" aria-labelledby="home-title">
        <h1 id="home-title">{heroTitle(context, overall)}</h1>
        <p class="lead">{heroLead(context)}</p>
      </section>

      <div class="stack">
        {next ? (
          <section class="card continue-card" aria-labelledby="continue-title">
            <div>
              <h2 id="continue-title">Continue where you left off</h2>
              <p>
                <a href={topicPath(next.roadmap.id, next.topic.id)}>{next.topic.title}</a>{' '}
                <StatusBadge status={next.status} />
              </p>
              <p class="muted">{next.reason}</p>
            </div>
            <a class="button" href={topicPath(next.roadmap.id, next.topic.id)}>
              Continue <Icon name="arrowRight" />
            </a>
          </section>
        ) : null}

        {overall ? (
          <section class="card" aria-labelledby="overall-title">
            <h2 id="overall-title">Your progress</h2>
            <p>
              You have finished <strong>{overall.finished}</strong> of {overall.total} topics across all
              roadmaps
              {overall.learning ? `, and you are learning ${overall.learning} more` : ''}.
            </p>
          </section>
        ) : null}

        {widgets.length ? <div class="widgets">{widgets}</div> : null}

        <section aria-labelledby="roadmaps-title">
          <h2 id="roadmaps-title">Roadmaps</h2>
          <RoadmapCards content={content} summaries={summaries} headingLevel="h3" />
        </section>
      </div>
    </Layout>
  );
}

export function RoadmapsPage({
  context,
  content,
  summaries,
}: {
  context: PageContext;
  content: Content;
  summaries: Map<string, RoadmapSummary>;
}): VNode {
  return (
    <Layout {...context} title="Roadmaps" active="roadmaps">
      <h1>Roadmaps</h1>
      <p class="lead">
        Each roadmap is a path of steps and topics, with descriptions, key concepts and resources for every
        topic.
      </p>
      <RoadmapCards content={content} summaries={summaries} headingLevel="h2" />
    </Layout>
  );
}
