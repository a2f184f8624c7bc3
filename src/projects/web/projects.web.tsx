import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { renderMarkdown } from '../../content/markdown.js';
import type { Content } from '../../content/content.types.js';
import { Problem } from '../../http/problems.js';
import { emptyForm, formStateFromProblem, type FormState } from '../../web/components/forms.js';
import { topicPath } from '../../web/components/topic.js';
import { back } from '../../web/form-flow.js';
import { renderPieces } from '../../web/home-widgets.js';
import { pageContext, sendPage } from '../../web/layout.js';
import { allProjects, requireProjectById } from '../projects.catalog.js';
import type { ProjectsPlugin } from '../projects.runtime.js';
import * as service from '../projects.service.js';
import type { Project } from '../projects.types.js';
import { ProjectPage, ProjectsListPage, SharedVerificationPage } from './projects.pages.js';

// The projects pages and their no-JavaScript form routes. Handlers call the same service as the JSON
// API, then redirect (303) with a flash message, or render the page again with the problem shown.

const hidden = { hide: true };
const ProjectParams = Type.Object({ projectId: Type.String({ maxLength: 64 }) });
const Strings = (fields: readonly string[]) =>
  Type.Object(
    Object.fromEntries(fields.map((name) => [name, Type.Optional(Type.String({ maxLength: 2100 }))])),
  );
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function topicLinks(content: Content, project: Project) {
  return project.topics.map((id) => {
    const topic = content.topics.get(id);
    const roadmapId = topic ? (topic.roadmapIds[0] ?? topic.homeRoadmapId) : null;
    return { id, title: topic?.title ?? id, href: topic && roadmapId ? topicPath(roadmapId, id) : null };
  });
}

const projectPages: ProjectsPlugin = async (fastify, { runtime }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const db = () => app.db.kysely;

  async function renderProject(
    request: FastifyRequest,
    reply: FastifyReply,
    project: Project,
    runId: string | null,
    form: FormState = emptyForm(),
    status = 200,
  ) {
    const content = app.content();
    const userId = request.auth?.user.id ?? null;
    const statuses = await service.projectStatuses(db(), userId);
    const runs = userId ? await service.listRuns(db(), userId, project.id, 20) : [];
    const chosen = runId ?? runs[0]?.id ?? null;
    let run = null;
    if (userId && chosen) {
      run = await service.getRun(db(), userId, project.id, chosen).catch((error: unknown) => {
        if (error instanceof Problem && error.status === 404) return null;
        throw error;
      });
    }
    // Other features' parts of the run panel (feedback: what the learner's mentors said about this run).
    const runSections =
      run && userId
        ? await renderPieces(app.features.runSections, {
            app,
            request,
            user: pageContext(request).user,
            projectId: project.id,
            runId: run.id,
          })
        : null;
    return sendPage(
      reply,
      request,
      <ProjectPage
        context={pageContext(request)}
        project={project}
        briefHtml={renderMarkdown(project.briefMarkdown)}
        status={statuses.get(project.id) ?? service.NOT_STARTED}
        topicTitles={topicLinks(content, project)}
        run={run}
        runSections={runSections?.elements ?? []}
        runs={runs}
        verifications={userId ? await service.listVerifications(db(), userId, project.id) : []}
        form={form}
        allowPrivate={runtime.policy.allowPrivate}
      />,
      { status },
    );
  }

  app.get('/projects', { schema: hidden }, async (request, reply) => {
    const content = app.content();
    const statuses = await service.projectStatuses(db(), request.auth?.user.id ?? null);
    return sendPage(
      reply,
      request,
      <ProjectsListPage
        context={pageContext(request)}
        projects={allProjects(content).map((project) => ({
          project,
          status: statuses.get(project.id) ?? service.NOT_STARTED,
          topicTitles: topicLinks(content, project),
        }))}
      />,
    );
  });

  app.get(
    '/projects/:projectId',
    { schema: { ...hidden, params: ProjectParams, querystring: Strings(['run']) } },
    async (request, reply) => {
      const project = requireProjectById(app.content(), request.params.projectId);
      const runId = request.query.run && UUID.test(request.query.run) ? request.query.run : null;
      return renderProject(request, reply, project, runId);
    },
  );

  app.post(
    '/projects/:projectId/runs',
    { config: { changes: 'data' }, schema: { ...hidden, params: ProjectParams, body: Strings(['baseUrl']) } },
    async (request, reply) => {
      const project = requireProjectById(app.content(), request.params.projectId);
      const auth = app.requireAuth(request);
      const raw = request.body.baseUrl ?? '';
      try {
        const run = await service.startRun(runtime.starts, auth.user.id, project, raw);
        return back(reply, `/projects/${project.id}?run=${run.id}#run-panel`, {
          kind: 'info',
          text: 'Run queued: results appear below as each check completes.',
        });
      } catch (error) {
        if (error instanceof Problem && error.status < 500) {
          const form = formStateFromProblem(error, ['baseUrl'], { baseUrl: raw.slice(0, 2000) });
          if (error.status === 429) form.form = error.detail;
          return renderProject(request, reply, project, null, form, error.status);
        }
        throw error;
      }
    },
  );

  app.post(
    '/projects/:projectId/runs/:runId/retry',
    {
      config: { changes: 'data' },
      schema: {
        ...hidden,
        params: Type.Object({
          projectId: Type.String({ maxLength: 64 }),
          runId: Type.String({ format: 'uuid' }),
        }),
      },
    },
    async (request, reply) => {
      const project = requireProjectById(app.content(), request.params.projectId);
      const auth = app.requireAuth(request);
      const run = await service.retryRun(runtime.starts, auth.user.id, project, request.params.runId);
      return back(reply, `/projects/${project.id}?run=${run.id}#run-panel`, {
        kind: 'info',
        text: 'Run queued again.',
      });
    },
  );

  app.post(
    '/projects/:projectId/apply-topics',
    { config: { changes: 'data' }, schema: { ...hidden, params: ProjectParams } },
    async (request, reply) => {
      const auth = app.requireAuth(request);
      const now = app.clock.now().toISOString();
      const result = await app.db.write(
        (trx) => service.applyVerifiedTopics(trx, app.content(), auth.user.id, request.params.projectId, now),
        { userId: auth.user.id, scope: 'data' },
      );
      const text =
        result.changed.length > 0
          ? `Marked ${result.changed.length} topic${result.changed.length === 1 ? '' : 's'} as done.`
          : 'Every topic this project proves was already done or skipped.';
      return back(reply, `/projects/${request.params.projectId}#evidence`, { kind: 'success', text });
    },
  );

  app.post(
    '/projects/:projectId/verifications/:verificationId/sharing',
    {
      config: { changes: 'data' },
      schema: {
        ...hidden,
        params: Type.Object({
          projectId: Type.String({ maxLength: 64 }),
          verificationId: Type.String({ format: 'uuid' }),
        }),
        body: Strings(['shared']),
      },
    },
    async (request, reply) => {
      const auth = app.requireAuth(request);
      const shared = request.body.shared === 'on';
      const { shareToken } = await service.setSharing(
        app.db,
        auth.user.id,
        request.params.verificationId,
        shared,
      );
      const origin = app.config.publicOrigins[0] ?? `${request.protocol}://${request.host}`;
      const text = shareToken
        ? `Share link (shown once; copy it now): ${origin}/v/${shareToken}`
        : 'Sharing stopped: the old link no longer works.';
      return back(reply, `/projects/${request.params.projectId}#evidence`, { kind: 'success', text });
    },
  );

  app.get(
    '/v/:token',
    { schema: { ...hidden, params: Type.Object({ token: Type.String({ maxLength: 100 }) }) } },
    async (request, reply) => {
      const verification = await service.getSharedVerification(db(), request.params.token);
      return sendPage(
        reply,
        request,
        <SharedVerificationPage context={pageContext(request)} verification={verification} />,
      );
    },
  );
};

export default projectPages;
