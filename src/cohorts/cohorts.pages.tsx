import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { VNode } from 'preact';
import { Problem, problems } from '../http/problems.js';
import { Layout, pageContext, sendPage } from '../web/layout.js';
import { back } from '../web/form-flow.js';
import * as repo from './cohorts.repository.js';
import * as cohorts from './cohorts.service.js';
import * as policy from './policy.js';
import { emailNotice, mentorsNeverSee, mentorsSee } from './consent.js';
import { cohortChange } from './summaries.js';
import { joinByInvite } from './join.js';
import { cohortTable, learnerDetail, type LearnerDetail } from './table.service.js';
import { TablePage } from './table.page.js';
import { CommentForm } from '../feedback/feedback.components.js';
import { tableOptions } from './table.routes.js';
import { CohortParams, InviteToken, LearnerParams, TableQuerySchema } from './cohorts.schemas.js';

// The cohort pages, server-rendered and usable without JavaScript: the list of your cohorts, the
// mentor's table (sorting by header links, filters by a GET form, pages), a learner's drill-down,
// and the consent screen that joins by invite (a plain form, Post/Redirect/Get).

const hidden = { hide: true };
const Strings = (fields: readonly string[]) =>
  Type.Object(Object.fromEntries(fields.map((f) => [f, Type.Optional(Type.String({ maxLength: 200 }))])));

function LearnerPage(props: { request: FastifyRequest; cohortId: string; detail: LearnerDetail }): VNode {
  const { detail } = props;
  const feedbackPath = `/cohorts/${props.cohortId}/learners/${detail.learnerId}/feedback`;
  return (
    <Layout {...pageContext(props.request)} title={detail.displayName} active="cohorts">
      <p>
        <a href={`/cohorts/${props.cohortId}`}>Back to the cohort</a>
      </p>
      <h1>{detail.displayName}</h1>
      {detail.email ? <p>{detail.email}</p> : null}
      <p>
        <a href={feedbackPath}>Feedback for {detail.displayName}</a>: comment on a topic or a run, and read
        the replies.
      </p>
      {detail.roadmaps.map((r) => (
        <section key={r.roadmapId} aria-labelledby={`rm-${r.roadmapId}`}>
          <h2 id={`rm-${r.roadmapId}`}>{r.title}</h2>
          <p>
            Plan: {r.plan.saved ? r.plan.message : 'no plan saved'} · target finish {r.plan.targetFinish} ·
            forecast {r.plan.forecastFinish ?? '—'}
          </p>
          <h3>Weekly check-ins</h3>
          <ul>
            {r.plan.weeks.map((w) => (
              <li key={w.index}>
                Week {w.index + 1} ({w.start}): {w.goalsDone ?? 0}/{w.goalsPlanned ?? 0} goals
                {w.reflection ? <blockquote>{w.reflection}</blockquote> : null}
              </li>
            ))}
          </ul>
          <h3>Topics</h3>
          <ul class="cohort-topics">
            {r.topics.map((t) => (
              <li key={t.topicId}>
                {t.title}: <strong>{t.status}</strong>
                {t.note !== null ? <blockquote>{t.note}</blockquote> : null}
              </li>
            ))}
          </ul>
        </section>
      ))}
      <section aria-labelledby="runs">
        <h2 id="runs">Project runs</h2>
        {detail.projects.runs.length === 0 ? <p>No project runs yet.</p> : null}
        <ul class="plain-list stack">
          {detail.projects.runs.map((run) => (
            <li key={run.id} class="card">
              {run.projectId}: {run.state}, {run.passed}/{run.total} checks passed
              {run.verified ? ' (verified)' : ''} — {run.createdAt}
              <details>
                <summary>Comment on this run</summary>
                <CommentForm
                  action={feedbackPath}
                  label={`Your comment on the ${run.projectId} run (the learner sees it with the run)`}
                  idPrefix={`run-${run.id}`}
                  hidden={{ runId: run.id }}
                />
              </details>
            </li>
          ))}
        </ul>
      </section>
    </Layout>
  );
}

function ConsentPage(props: {
  request: FastifyRequest;
  token: string;
  cohort: {
    name: string;
    requires_email: number;
    start_date: string;
    target_weeks: number;
    hours_per_week: number;
  };
  emailDomain: string | null;
}): VNode {
  const { cohort } = props;
  const notice = emailNotice(cohort);
  const signedIn = props.request.auth && props.request.auth.user.is_guest === 0;
  return (
    <Layout {...pageContext(props.request)} title={`Join ${cohort.name}`} active="cohorts">
      <h1>Join {cohort.name}</h1>
      <p>
        Starts {cohort.start_date}, {cohort.target_weeks} weeks at {cohort.hours_per_week} hours a week: your
        plan starts from these (you can change it later).
      </p>
      <h2>What the cohort’s mentors will see</h2>
      <ul>
        {mentorsSee().map((s) => (
          <li key={s}>{s}</li>
        ))}
        {notice ? <li>{notice}</li> : null}
      </ul>
      <h2>What they never see</h2>
      <ul>
        {mentorsNeverSee(cohort).map((s) => (
          <li key={s}>{s}</li>
        ))}
      </ul>
      <p>You can leave the cohort at any time; its mentors lose access at once.</p>
      {props.emailDomain ? (
        <p>This invite is for accounts with an email address at {props.emailDomain}.</p>
      ) : null}
      {signedIn ? (
        <form method="post" action={`/join/${props.token}`}>
          <p>
            <label for="displayName">Name your mentors will see</label>
            <input id="displayName" name="displayName" required maxLength={80} autoComplete="nickname" />
          </p>
          <p>
            <label>
              <input type="checkbox" name="shareReflections" value="1" /> Also share my weekly check-in
              reflections
            </label>
          </p>
          <p>
            <label>
              <input type="checkbox" name="consent" value="1" required /> I have read what mentors will see
              and agree
            </label>
          </p>
          <button type="submit">Join the cohort</button>
        </form>
      ) : (
        <p>
          <a href={`/login?return=${encodeURIComponent(`/join/${props.token}`)}`}>Sign in</a> or{' '}
          <a href={`/signup?return=${encodeURIComponent(`/join/${props.token}`)}`}>create an account</a> to
          join.
        </p>
      )}
    </Layout>
  );
}

function ListPage(props: {
  request: FastifyRequest;
  memberships: Array<ReturnType<typeof cohorts.presentMembership>>;
  managed: Array<{ id: string; name: string }>;
}): VNode {
  return (
    <Layout {...pageContext(props.request)} title="Cohorts" active="cohorts">
      <h1>Cohorts</h1>
      {props.memberships.length === 0 && props.managed.length === 0 ? (
        <p>You are in no cohort. An invite link from your bootcamp or mentor adds you to one.</p>
      ) : null}
      <ul>
        {props.memberships.map((m) => (
          <li key={m.cohortId}>
            {m.role === 'mentor' ? <a href={`/cohorts/${m.cohortId}`}>{m.cohortName}</a> : m.cohortName} — you
            are a {m.role} (as “{m.displayName}”)
            {m.role === 'learner' ? (
              <form method="post" action={`/cohorts/${m.cohortId}/reflections`} class="inline-form">
                <input type="hidden" name="share" value={m.shareReflections ? '0' : '1'} />
                <button type="submit">
                  {m.shareReflections
                    ? 'Stop sharing my weekly reflections'
                    : 'Share my weekly reflections with its mentors'}
                </button>
              </form>
            ) : null}
            {m.role === 'learner' ? (
              <form method="post" action={`/cohorts/${m.cohortId}/leave`} class="inline-form">
                <button type="submit">Leave {m.cohortName}</button>
              </form>
            ) : null}
          </li>
        ))}
        {props.managed.map((c) => (
          <li key={c.id}>
            <a href={`/cohorts/${c.id}`}>{c.name}</a> (you administer this instance)
          </li>
        ))}
      </ul>
    </Layout>
  );
}

/** The cohort pages and their form routes. */
export default async function cohortPages(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const db = () => app.db.kysely;
  const signedIn = (request: FastifyRequest) => {
    if (!request.auth || request.auth.user.is_guest === 1)
      throw problems.unauthenticated('Sign in to see your cohorts.');
    return request.auth.user;
  };

  app.get('/cohorts', { schema: hidden }, async (request, reply) => {
    const actor = signedIn(request);
    const memberships = (await repo.listMembershipsOf(db(), actor.id)).map(cohorts.presentMembership);
    const mine = new Set(memberships.map((m) => m.cohortId));
    const managed = policy.isInstanceAdmin(actor)
      ? (await repo.listCohorts(db())).filter((c) => !mine.has(c.id)).map((c) => ({ id: c.id, name: c.name }))
      : [];
    return sendPage(
      reply,
      request,
      <ListPage request={request} memberships={memberships} managed={managed} />,
    );
  });

  app.get(
    '/cohorts/:cohortId',
    {
      schema: {
        ...hidden,
        params: CohortParams,
        querystring: Type.Composite([
          Type.Omit(TableQuerySchema, ['filter']),
          Type.Object({
            f: Type.Optional(
              Type.Union([
                Type.String({ maxLength: 20 }),
                Type.Array(Type.String({ maxLength: 20 }), { maxItems: 3 }),
              ]),
            ),
            filter: Type.Optional(Type.String({ maxLength: 40 })),
          }),
        ]),
      },
    },
    async (request, reply) => {
      const actor = signedIn(request);
      const { cohortId } = request.params;
      await policy.requireCohortTable(db(), actor, cohortId);
      const { f, ...rest } = request.query;
      const fromForm = (Array.isArray(f) ? f : f ? [f] : []).filter((v) =>
        ['behind', 'inactive', 'stuck'].includes(v),
      );
      const filter = fromForm.length
        ? fromForm.join(',')
        : /^[a-z,]*$/.test(rest.filter ?? '')
          ? rest.filter
          : undefined;
      const query = { ...rest, filter: filter || undefined };
      const cohort = await cohorts.requireCohortRow(db(), cohortId);
      const table = await cohortTable(db(), cohortId, tableOptions(query), app.clock.now());
      app.cohortSummaries.refreshStale(cohortId, table.roadmapId);
      return sendPage(
        reply,
        request,
        <TablePage request={request} name={cohort.name} cohortId={cohortId} table={table} query={query} />,
      );
    },
  );

  app.get(
    '/cohorts/:cohortId/learners/:learnerId',
    { schema: { ...hidden, params: LearnerParams } },
    async (request, reply) => {
      const actor = signedIn(request);
      const { cohortId, learnerId } = request.params;
      if (!(await policy.canViewCohortTable(db(), actor, cohortId))) throw problems.notFound('Learner');
      await policy.requireLearner(db(), actor, learnerId, cohortId);
      const detail = await learnerDetail(app.db, app.content(), actor, cohortId, learnerId, app.clock.now());
      return sendPage(reply, request, <LearnerPage request={request} cohortId={cohortId} detail={detail} />);
    },
  );

  app.get('/join/:token', { schema: { ...hidden, params: InviteToken } }, async (request, reply) => {
    const { invite, cohort } = await cohorts.usableInvite(db(), request.params.token, app.clock.now());
    return sendPage(
      reply,
      request,
      <ConsentPage
        request={request}
        token={request.params.token}
        cohort={cohort}
        emailDomain={invite.email_domain}
      />,
    );
  });

  app.post(
    '/join/:token',
    {
      schema: {
        ...hidden,
        params: InviteToken,
        body: Strings(['displayName', 'shareReflections', 'consent']),
      },
    },
    async (request, reply) => {
      const actor = signedIn(request);
      const body = request.body as Record<string, string | undefined>;
      const again = `/join/${request.params.token}`;
      const name = (body.displayName ?? '').trim();
      if (!name) return back(reply, again, { kind: 'error', text: 'Choose the name your mentors will see.' });
      if (body.consent !== '1')
        return back(reply, again, { kind: 'error', text: 'Tick the consent box to join.' });
      try {
        const { cohort } = await joinByInvite(app, actor.id, request.params.token, {
          displayName: name.slice(0, 80),
          consent: true,
          shareReflections: body.shareReflections === '1',
        });
        return back(reply, '/cohorts', { kind: 'success', text: `You joined ${cohort.name}.` });
      } catch (error) {
        if (error instanceof Problem && error.status < 500 && error.status !== 404)
          return back(reply, again, { kind: 'error', text: error.detail });
        throw error;
      }
    },
  );

  app.post(
    '/cohorts/:cohortId/leave',
    { schema: { ...hidden, params: CohortParams } },
    async (request, reply) => {
      const actor = signedIn(request);
      const { cohortId } = request.params;
      if (!(await policy.canLeaveCohort(db(), actor, cohortId))) throw problems.notFound('Cohort');
      await app.db.write(
        (trx) => cohorts.removeMember(trx, cohortId, actor.id),
        [{ userId: actor.id, scope: 'data' }, cohortChange(cohortId, null)],
      );
      return back(reply, '/cohorts', {
        kind: 'success',
        text: 'You left the cohort; its mentors no longer see your data.',
      });
    },
  );
}
