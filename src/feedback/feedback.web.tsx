import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { feedbackCohorts, requireFeedbackThread } from '../cohorts/policy.js';
import type { Content } from '../content/content.types.js';
import { Problem } from '../http/problems.js';
import { learnerRun } from '../projects/projects.read.js';
import { back } from '../web/form-flow.js';
import type { HomeWidget, RunSection, TopicSection } from '../web/home-widgets.js';
import { Layout, pageContext, safeReturnPath, sendPage, type PageContext } from '../web/layout.js';
import { CommentForm, Thread } from './feedback.components.js';
import { writeComment } from './feedback.routes.js';
import * as feedback from './feedback.service.js';
import type { CommentView } from './feedback.service.js';

// Feedback in the pages: the "From your mentors" section of a topic page, the home page's count of
// unread comments, the learner's /feedback page, the mentor's page for one learner, and their
// no-JavaScript forms (post, then back with a message). Authorisation: src/cohorts/policy.ts.

const hidden = { hide: true };
const Form = (names: string[]) =>
  Type.Object(
    Object.fromEntries(
      names.map((n) => [n, Type.Optional(Type.String({ maxLength: feedback.COMMENT_MAX * 2 }))]),
    ),
  );
const LearnerParams = Type.Object({
  cohortId: Type.String({ minLength: 1, maxLength: 64 }),
  learnerId: Type.String({ minLength: 1, maxLength: 64 }),
});

interface ThreadGroup {
  key: string;
  title: string;
  href: string;
  comments: CommentView[];
}

/** Groups comments by topic or run, in the order of each group's latest comment (newest first). */
async function groupThreads(
  app: FastifyInstance,
  content: Content,
  learnerId: string,
  comments: readonly CommentView[],
): Promise<ThreadGroup[]> {
  const groups = new Map<string, ThreadGroup>();
  for (const c of comments) {
    const key = c.runId ? `run:${c.runId}` : `topic:${c.topicId}`;
    let group = groups.get(key);
    if (!group) {
      if (c.runId) {
        const run = await learnerRun(app.db.kysely, learnerId, c.runId);
        const project = run ? content.projects.get(run.projectId) : undefined;
        group = {
          key,
          title: `Project run: ${project?.title ?? 'a removed project'}`,
          href: run ? `/projects/${run.projectId}?run=${run.id}#run-panel` : '/projects',
          comments: [],
        };
      } else {
        const topic = content.topics.get(c.topicId ?? '');
        group = {
          key,
          title: topic?.title ?? c.topicId ?? 'A topic',
          href: `/roadmaps/${c.roadmapId}/topics/${c.topicId}#feedback`,
          comments: [],
        };
      }
      groups.set(key, group);
    }
    group.comments.push(c);
  }
  return [...groups.values()].sort((a, b) =>
    (b.comments.at(-1)?.createdAt ?? '').localeCompare(a.comments.at(-1)?.createdAt ?? ''),
  );
}

function LearnerFeedbackPage({
  context,
  groups,
  unread,
}: {
  context: PageContext;
  groups: ThreadGroup[];
  unread: number;
}): VNode {
  return (
    <Layout {...context} title="Feedback">
      <h1>Feedback from your mentors</h1>
      {unread > 0 ? (
        <form method="post" action="/feedback/read">
          <p>
            {unread} new comment{unread === 1 ? '' : 's'}.{' '}
            <button type="submit" class="button button-quiet">
              Mark all as read
            </button>
          </p>
        </form>
      ) : null}
      {groups.length === 0 ? (
        <p>No feedback yet. When a mentor of your cohort comments, it shows here.</p>
      ) : null}
      {groups.map((g) => (
        <section class="card" key={g.key} aria-labelledby={`${g.key}-title`.replace(':', '-')}>
          <h2 id={`${g.key}-title`.replace(':', '-')}>
            <a href={g.href}>{g.title}</a>
          </h2>
          <Thread comments={g.comments} label={`Comments on ${g.title}`} />
        </section>
      ))}
    </Layout>
  );
}

function MentorFeedbackPage({
  context,
  content,
  groups,
  action,
}: {
  context: PageContext;
  content: Content;
  groups: ThreadGroup[];
  action: string;
}): VNode {
  return (
    <Layout {...context} title="Feedback for a learner">
      <h1>Feedback for this learner</h1>
      <section class="card" aria-labelledby="new-comment-title">
        <h2 id="new-comment-title">Comment on a topic</h2>
        <form method="post" action={action} class="feedback-form">
          <label for="mentor-topic">Topic</label>
          <select id="mentor-topic" name="topicRef" required>
            {content.roadmapList.map((r) => (
              <optgroup key={r.id} label={r.title}>
                {r.topicIds.map((id) => (
                  <option key={id} value={`${r.id}/${id}`}>
                    {content.topics.get(id)?.title ?? id}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
          <label for="mentor-body">Comment (Markdown)</label>
          <textarea id="mentor-body" name="body" rows={4} required />
          <button type="submit" class="button">
            Send
          </button>
        </form>
      </section>
      {groups.map((g) => (
        <section class="card" key={g.key} aria-labelledby={`${g.key}-title`.replace(':', '-')}>
          <h2 id={`${g.key}-title`.replace(':', '-')}>{g.title}</h2>
          <Thread comments={g.comments} label={`Comments on ${g.title}`} />
          <CommentForm
            action={action}
            label="Reply"
            idPrefix={`reply-${g.key.replace(':', '-')}`}
            hidden={
              g.comments[0]?.runId
                ? { runId: g.comments[0].runId }
                : { topicRef: `${g.comments[0]?.roadmapId}/${g.comments[0]?.topicId}` }
            }
          />
        </section>
      ))}
    </Layout>
  );
}

/**
 * "From your mentors" where the learner meets a thread: the comments, "Mark as read", and the reply
 * form (only while the learner is in a cohort, so there is a mentor to read it). Null when there is
 * nothing to show.
 */
async function mentorsSection(
  app: FastifyInstance,
  request: FastifyRequest,
  thread: { topicId: string; roadmapId: string } | { runId: string },
  here: string,
  heading: (props: { id: string; children: string }) => VNode,
): Promise<VNode | null> {
  const actor = request.auth?.user;
  if (!actor || actor.is_guest === 1) return null;
  const db = app.db.kysely;
  const which = 'runId' in thread ? { runId: thread.runId } : { topicId: thread.topicId };
  const [comments, cohorts] = await Promise.all([
    feedback.listThread(db, actor.id, { learnerId: actor.id, ...which }),
    feedbackCohorts(db, actor, actor.id),
  ]);
  if (comments.length === 0 && cohorts.length === 0) return null;
  const id = 'runId' in thread ? 'run-feedback' : 'feedback';
  const about = 'runId' in thread ? 'this run' : 'this topic';
  return (
    <section
      class={'runId' in thread ? 'run-feedback' : 'topic-section'}
      id={id}
      aria-labelledby={`${id}-title`}
    >
      {heading({ id: `${id}-title`, children: 'From your mentors' })}
      <Thread comments={comments} label={`Feedback on ${about}`} />
      {comments.some((c) => !c.read) ? (
        <form method="post" action="/feedback/read">
          {Object.entries({ ...which, return: here }).map(([name, value]) => (
            <input key={name} type="hidden" name={name} value={value} />
          ))}
          <button type="submit" class="button button-quiet">
            Mark as read
          </button>
        </form>
      ) : null}
      {cohorts.length > 0 ? (
        <CommentForm
          action="/feedback/reply"
          label={comments.length > 0 ? 'Reply to your mentors' : `Ask your mentors about ${about}`}
          idPrefix={`${id}-reply`}
          hidden={{ ...thread, return: here }}
        />
      ) : null}
    </section>
  );
}

/** The topic page's "From your mentors" section: shown to learners in a cohort, or with comments. */
export const feedbackTopicSection: TopicSection = {
  id: 'feedback',
  order: 10,
  render: ({ app, request, roadmap, topic }) =>
    mentorsSection(
      app,
      request,
      { roadmapId: roadmap.id, topicId: topic.id },
      `/roadmaps/${roadmap.id}/topics/${topic.id}#feedback`,
      ({ id, children }) => <h2 id={id}>{children}</h2>,
    ),
};

/** The run panel's "From your mentors": what the learner's mentors said about this project run. */
export const feedbackRunSection: RunSection = {
  id: 'feedback-run',
  order: 10,
  render: ({ app, request, projectId, runId }) =>
    mentorsSection(
      app,
      request,
      { runId },
      `/projects/${projectId}?run=${runId}#run-feedback`,
      ({ id, children }) => <h3 id={id}>{children}</h3>,
    ),
};

/** The home page's count of unread comments. */
export const feedbackHomeWidget: HomeWidget = {
  id: 'feedback-unread',
  order: 15,
  async render({ app, user }) {
    if (!user || user.isGuest) return null;
    const unread = await feedback.unreadCount(app.db.kysely, user.id);
    if (unread === 0) return null;
    return (
      <section class="card" aria-labelledby="feedback-widget-title">
        <h2 id="feedback-widget-title">Feedback</h2>
        <p>
          <strong>{unread}</strong> new comment{unread === 1 ? '' : 's'} from your mentors.{' '}
          <a href="/feedback">Read {unread === 1 ? 'it' : 'them'}</a>
        </p>
      </section>
    );
  },
};

function flashProblem(error: unknown): { kind: 'error'; text: string } {
  if (error instanceof Problem && error.status < 500 && error.status !== 429)
    return { kind: 'error', text: error.detail };
  throw error;
}

export default async function feedbackPages(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const db = () => app.db.kysely;
  const now = () => app.clock.now().toISOString();
  const account = (request: FastifyRequest) => app.requireAuth(request).user;

  app.get('/feedback', { schema: hidden }, async (request, reply) => {
    const user = account(request);
    const [comments, unread] = await Promise.all([
      feedback.listThread(db(), user.id, { learnerId: user.id }),
      feedback.unreadCount(db(), user.id),
    ]);
    const groups = await groupThreads(app, app.content(), user.id, comments);
    return sendPage(
      reply,
      request,
      <LearnerFeedbackPage context={pageContext(request)} groups={groups} unread={unread} />,
    );
  });

  app.post(
    '/feedback/read',
    { schema: { ...hidden, body: Form(['topicId', 'runId', 'return']) } },
    async (request, reply) => {
      const user = account(request);
      const { topicId, runId } = request.body;
      const where = topicId ? { topicId } : runId ? { runId } : {};
      await app.db.write((trx) => feedback.markRead(trx, user.id, now(), where), {
        userId: user.id,
        scope: 'data',
      });
      return back(reply, safeReturnPath(request.body.return, '/feedback'), {
        kind: 'success',
        text: 'Marked as read.',
      });
    },
  );

  app.post(
    '/feedback/reply',
    { schema: { ...hidden, body: Form(['roadmapId', 'topicId', 'runId', 'cohortId', 'body', 'return']) } },
    async (request, reply) => {
      const user = account(request);
      const { roadmapId, topicId, runId, cohortId, body = '' } = request.body;
      const to = safeReturnPath(request.body.return, '/feedback');
      try {
        const target = await feedback.resolveTarget(db(), app.content(), user.id, {
          roadmapId,
          topicId,
          runId,
        });
        const allowed = await feedbackCohorts(db(), user, user.id);
        const cohort = await feedback.replyCohort(db(), user.id, allowed, target, cohortId || undefined);
        await writeComment(app.db, {
          learnerId: user.id,
          authorId: user.id,
          cohortId: cohort,
          target,
          body,
          now: now(),
        });
        return back(reply, to, { kind: 'success', text: 'Reply sent to your mentors.' });
      } catch (error) {
        return back(reply, to, flashProblem(error));
      }
    },
  );

  app.get(
    '/cohorts/:cohortId/learners/:learnerId/feedback',
    { schema: { ...hidden, params: LearnerParams } },
    async (request, reply) => {
      const user = account(request);
      const { cohortId, learnerId } = request.params;
      await requireFeedbackThread(db(), user, learnerId, cohortId);
      const comments = await feedback.listThread(db(), user.id, { learnerId, cohortIds: [cohortId] });
      const groups = await groupThreads(app, app.content(), learnerId, comments);
      const action = `/cohorts/${encodeURIComponent(cohortId)}/learners/${encodeURIComponent(learnerId)}/feedback`;
      return sendPage(
        reply,
        request,
        <MentorFeedbackPage
          context={pageContext(request)}
          content={app.content()}
          groups={groups}
          action={action}
        />,
      );
    },
  );

  app.post(
    '/cohorts/:cohortId/learners/:learnerId/feedback',
    { schema: { ...hidden, params: LearnerParams, body: Form(['topicRef', 'runId', 'body']) } },
    async (request, reply) => {
      const user = account(request);
      const { cohortId, learnerId } = request.params;
      await requireFeedbackThread(db(), user, learnerId, cohortId);
      const to = `/cohorts/${encodeURIComponent(cohortId)}/learners/${encodeURIComponent(learnerId)}/feedback`;
      const [roadmapId, topicId] = (request.body.topicRef ?? '').split('/');
      const { runId, body = '' } = request.body;
      try {
        const target = await feedback.resolveTarget(
          db(),
          app.content(),
          learnerId,
          runId ? { runId } : { roadmapId: roadmapId || undefined, topicId: topicId || undefined },
        );
        await writeComment(app.db, { learnerId, authorId: user.id, cohortId, target, body, now: now() });
        return back(reply, to, { kind: 'success', text: 'Comment sent.' });
      } catch (error) {
        return back(reply, to, flashProblem(error));
      }
    },
  );
}
