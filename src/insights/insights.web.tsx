import type { FastifyInstance } from 'fastify';
import type { VNode } from 'preact';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { RoadmapIdParam } from '../http/schemas.js';
import { Layout, pageContext, sendPage, type PageContext } from '../web/layout.js';
import { insightsFor } from './insights.read.js';
import type { CohortInsights } from './insights.service.js';

// The mentor's insight page for a cohort: tables a screen reader reads as well as anyone.

function InsightsPage({
  context,
  cohortName,
  insights: i,
  roadmapIds,
}: {
  context: PageContext;
  cohortName: string;
  insights: CohortInsights;
  roadmapIds: string[];
}): VNode {
  const base = `/cohorts/${encodeURIComponent(i.cohortId)}`;
  return (
    <Layout {...context} title={`Insights · ${cohortName}`}>
      <h1>
        Insights: {cohortName} <span class="muted">({i.roadmapTitle})</span>
      </h1>
      <p>
        {i.learners} learner{i.learners === 1 ? '' : 's'}, as of {i.today}.{' '}
        <a href={base}>Back to the cohort</a>
        {roadmapIds.length > 1
          ? roadmapIds.map((id) => (
              <span key={id}>
                {' · '}
                <a href={`${base}/insights?roadmapId=${id}`}>{id}</a>
              </span>
            ))
          : null}
      </p>

      <section class="card" aria-labelledby="stuck-title">
        <h2 id="stuck-title">Longest in “learning”</h2>
        {i.stuck.length === 0 ? (
          <p>Nobody has a topic in learning.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Topic</th>
                <th scope="col">Learners on it</th>
                <th scope="col">Median days</th>
                <th scope="col">Longest</th>
              </tr>
            </thead>
            <tbody>
              {i.stuck.map((s) => (
                <tr key={s.topicId}>
                  <th scope="row">
                    <a href={`/roadmaps/${i.roadmapId}/topics/${s.topicId}`}>{s.title}</a>
                  </th>
                  <td>{s.learners}</td>
                  <td>{s.medianDays}</td>
                  <td>{s.longestDays}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section class="card" aria-labelledby="completion-title">
        <h2 id="completion-title">Lowest completion</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">Topic</th>
              <th scope="col">Finished</th>
              <th scope="col">Share</th>
            </tr>
          </thead>
          <tbody>
            {i.lowestCompletion.map((c) => (
              <tr key={c.topicId}>
                <th scope="row">{c.title}</th>
                <td>{c.finished}</td>
                <td>{c.percent}%</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section class="card" aria-labelledby="failures-title">
        <h2 id="failures-title">Most failed project checks</h2>
        {i.failedChecks.length === 0 ? (
          <p>No failed checks.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Project</th>
                <th scope="col">Failed checks</th>
                <th scope="col">Failed runs</th>
                <th scope="col">Runs</th>
              </tr>
            </thead>
            <tbody>
              {i.failedChecks.map((f) => (
                <tr key={f.projectId}>
                  <th scope="row">
                    <a href={`/projects/${f.projectId}`}>{f.title}</a>
                  </th>
                  <td>{f.failedChecks}</td>
                  <td>{f.failedRuns}</td>
                  <td>{f.runs}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section class="card" aria-labelledby="burnup-title">
        <h2 id="burnup-title">Burn-up (hours finished)</h2>
        <p>
          Against the cohort plan, up to the roadmap's {i.burnup.requiredHours} required hours. Spread: the
          middle half of the learners (25th–75th percentile), and the lowest and highest.
        </p>
        <table>
          <thead>
            <tr>
              <th scope="col">Week</th>
              <th scope="col">Ends</th>
              <th scope="col">Plan</th>
              <th scope="col">Median</th>
              <th scope="col">Middle half</th>
              <th scope="col">Range</th>
            </tr>
          </thead>
          <tbody>
            {i.burnup.weeks.map((w) => (
              <tr key={w.week}>
                <th scope="row">{w.week}</th>
                <td>{w.date}</td>
                <td>{w.planned}</td>
                <td>{w.actual ? w.actual.median : '—'}</td>
                <td>{w.actual ? `${w.actual.p25}–${w.actual.p75}` : '—'}</td>
                <td>{w.actual ? `${w.actual.min}–${w.actual.max}` : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </Layout>
  );
}

export default async function insightsPages(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/cohorts/:cohortId/insights',
    {
      schema: {
        hide: true,
        params: Type.Object({ cohortId: Type.String({ minLength: 1, maxLength: 64 }) }),
        querystring: Type.Object({ roadmapId: Type.Optional(RoadmapIdParam) }),
      },
    },
    async (request, reply) => {
      const { insights, cohortName, roadmapIds } = await insightsFor(
        app,
        request,
        request.params.cohortId,
        request.query.roadmapId,
      );
      return sendPage(
        reply,
        request,
        <InsightsPage
          context={pageContext(request)}
          cohortName={cohortName}
          insights={insights}
          roadmapIds={roadmapIds}
        />,
      );
    },
  );
}
