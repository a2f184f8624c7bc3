import type { FastifyReply } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { renderMarkdown } from '../content/markdown.js';
import { errorResponses } from '../http/schemas.js';
import { allProjects, learnerProject, requireProjectById } from './projects.catalog.js';
import { presentProjectSummary, type RunView } from './projects.presenter.js';
import type { ProjectsPlugin } from './projects.runtime.js';
import { ProjectIdParam } from './projects.schemas.js';
import * as service from './projects.service.js';
import { streamRun } from './run-stream.js';

// The projects API: the catalogue with your state, briefs, collection downloads, runs (start, list,
// read, live stream, retry) and "apply verified topics". Verification records live in
// verification.routes.ts.

const RunParams = Type.Object({ projectId: ProjectIdParam, runId: Type.String({ format: 'uuid' }) });
const ProjectParams = Type.Object({ projectId: ProjectIdParam });

/** 202 with the queued run and where to follow it. */
function accepted(reply: FastifyReply, run: RunView) {
  reply.header('location', `/api/v1/projects/${run.projectId}/runs/${run.id}`);
  return reply.code(202).send(run);
}

const projectsRoutes: ProjectsPlugin = async (fastify, { runtime }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const db = () => app.db.kysely;
  const streams = new Set<() => void>();
  app.addHook('onClose', async () => {
    for (const close of [...streams]) close();
  });

  app.get(
    '/api/v1/projects',
    {
      schema: {
        operationId: 'listProjects',
        tags: ['projects'],
        summary:
          'Every hands-on project, with your state for each (verified, failed, in progress, not started)',
        security: [],
        response: {
          200: Type.Object({ projects: Type.Array(Type.Ref('ProjectSummary')) }),
          ...errorResponses(431),
        },
      },
    },
    async (request) => {
      const statuses = await service.projectStatuses(db(), request.auth?.user.id ?? null);
      return {
        projects: allProjects(app.content()).map((project) => ({
          ...presentProjectSummary(project),
          status: statuses.get(project.id) ?? service.NOT_STARTED,
        })),
      };
    },
  );

  app.get(
    '/api/v1/projects/:projectId',
    {
      schema: {
        operationId: 'getProject',
        tags: ['projects'],
        summary: 'A project: its brief (Markdown and sanitised HTML), hints, what it proves, and your state',
        security: [],
        params: ProjectParams,
        response: { 200: Type.Ref('ProjectDetail'), ...errorResponses(400, 404) },
      },
    },
    async (request) => {
      const content = app.content();
      const project = requireProjectById(content, request.params.projectId);
      const statuses = await service.projectStatuses(db(), request.auth?.user.id ?? null);
      return {
        ...presentProjectSummary(project),
        status: statuses.get(project.id) ?? service.NOT_STARTED,
        briefHtml: renderMarkdown(project.briefMarkdown),
        briefMarkdown: project.briefMarkdown,
        hints: [...project.hints],
        proves: [...project.proves],
        requiredChecks: project.requiredChecks ? [...project.requiredChecks] : [],
        collectionHash: project.collectionHash,
        collectionUrl: `/api/v1/projects/${project.id}/collection`,
        topicTitles: Object.fromEntries(
          project.topics.map((id) => [id, content.topics.get(id)?.title ?? id]),
        ),
      };
    },
  );

  app.get(
    '/api/v1/projects/:projectId/collection',
    {
      schema: {
        operationId: 'downloadProjectCollection',
        tags: ['projects'],
        summary:
          'The Postman Collection v2.1 of the checks, exactly as Waymark runs it (import it into Postman or run `npx newman run`)',
        security: [],
        params: ProjectParams,
        response: {
          200: Type.Unknown({ description: 'Postman Collection v2.1 JSON' }),
          ...errorResponses(400, 404),
        },
      },
    },
    async (request, reply) => {
      const project = requireProjectById(app.content(), request.params.projectId);
      reply
        .type('application/json; charset=utf-8')
        .header('content-disposition', `attachment; filename="${project.id}.postman_collection.json"`)
        .header('etag', `"${project.collectionHash}"`);
      return reply.send(project.collectionJson);
    },
  );

  app.post(
    '/api/v1/projects/:projectId/runs',
    {
      config: { changes: 'data' },
      schema: {
        operationId: 'startProjectRun',
        tags: ['projects'],
        summary:
          "Queue a run of the project's checks against your API's base URL (http or https, a public address unless the operator allows private ones)",
        params: ProjectParams,
        body: Type.Object(
          {
            baseUrl: Type.String({
              minLength: 1,
              maxLength: 2000,
              description: 'e.g. https://my-api.example.org',
            }),
          },
          { additionalProperties: false },
        ),
        response: { 202: Type.Ref('ProjectRun'), ...errorResponses(400, 401, 403, 404, 422, 429, 503) },
      },
    },
    async (request, reply) => {
      const { userId, project } = learnerProject(app, request, request.params.projectId);
      const run = await service.startRun(runtime.starts, userId, project, request.body.baseUrl);
      return accepted(reply, run);
    },
  );

  // A learner's history with one project: the same route for runs and for verification records.
  const histories = [
    {
      list: 'runs',
      operationId: 'listProjectRuns',
      summary: 'Your runs of this project, newest first (the full history is kept)',
      schema: 'ProjectRunList',
      read: service.listRuns,
    },
    {
      list: 'verifications',
      operationId: 'listProjectVerifications',
      summary:
        'Your verification records for this project, newest first (later failing runs never remove one)',
      schema: 'ProjectVerificationList',
      read: service.listVerifications,
    },
  ] as const;
  for (const { list, operationId, summary, schema, read } of histories) {
    app.get(
      `/api/v1/projects/:projectId/${list}`,
      {
        schema: {
          operationId,
          tags: ['projects'],
          summary,
          params: ProjectParams,
          response: { 200: Type.Ref(schema), ...errorResponses(400, 401, 404) },
        },
      },
      async (request) => {
        const { userId, project } = learnerProject(app, request, request.params.projectId);
        return { [list]: await read(db(), userId, project.id) };
      },
    );
  }

  app.get(
    '/api/v1/projects/:projectId/runs/:runId',
    {
      schema: {
        operationId: 'getProjectRun',
        tags: ['projects'],
        summary: 'One of your runs with every check result stored so far',
        params: RunParams,
        response: { 200: Type.Ref('ProjectRunDetail'), ...errorResponses(400, 401, 404) },
      },
    },
    async (request) =>
      service.getRun(db(), app.requireAuth(request).user.id, request.params.projectId, request.params.runId),
  );

  app.get(
    '/api/v1/projects/:projectId/runs/:runId/events',
    {
      schema: {
        operationId: 'streamProjectRun',
        tags: ['projects'],
        summary:
          'Live stream (text/event-stream) of a run: `check` events as each check completes (stored ones first), `state` events, and the stream ends when the run does',
        params: RunParams,
        response: {
          200: Type.String({ description: 'text/event-stream' }),
          ...errorResponses(400, 401, 404),
        },
      },
    },
    async (request, reply) => {
      const auth = app.requireAuth(request);
      // Throws 404 before the stream opens when the run is not yours.
      await service.getRun(db(), auth.user.id, request.params.projectId, request.params.runId);
      await streamRun(app, runtime.events, request, reply, auth.user.id, request.params.runId, streams);
    },
  );

  app.post(
    '/api/v1/projects/:projectId/runs/:runId/retry',
    {
      config: { changes: 'data' },
      schema: {
        operationId: 'retryProjectRun',
        tags: ['projects'],
        summary:
          'Start a finished (e.g. interrupted or errored) run again with the same base URL, as a new run',
        params: RunParams,
        response: { 202: Type.Ref('ProjectRun'), ...errorResponses(400, 401, 403, 404, 409, 422, 429) },
      },
    },
    async (request, reply) => {
      const { userId, project } = learnerProject(app, request, request.params.projectId);
      const run = await service.retryRun(runtime.starts, userId, project, request.params.runId);
      return accepted(reply, run);
    },
  );

  app.post(
    '/api/v1/projects/:projectId/apply-topics',
    {
      config: { changes: 'data' },
      schema: {
        operationId: 'applyVerifiedTopics',
        tags: ['projects'],
        summary:
          'Your choice: mark the topics a verified project proves as done (done or skipped topics stay as they are)',
        params: ProjectParams,
        response: {
          200: Type.Object({ changed: Type.Array(Type.String()), unchanged: Type.Array(Type.String()) }),
          ...errorResponses(400, 401, 403, 404, 409),
        },
      },
    },
    async (request) => {
      const auth = app.requireAuth(request);
      const now = app.clock.now().toISOString();
      return app.db.write(
        (trx) => service.applyVerifiedTopics(trx, app.content(), auth.user.id, request.params.projectId, now),
        { userId: auth.user.id, scope: 'data' },
      );
    },
  );

  app.get(
    '/api/v1/me/verified-topics',
    {
      schema: {
        operationId: 'listVerifiedTopics',
        tags: ['me'],
        summary: 'Topics proven by your verified projects (distinct from the status you set yourself)',
        response: {
          200: Type.Object({
            topics: Type.Array(
              Type.Object({ topicId: Type.String(), projectIds: Type.Array(Type.String()) }),
            ),
          }),
          ...errorResponses(401),
        },
      },
    },
    async (request) => {
      const auth = app.requireAuth(request);
      const topics = await service.verifiedTopics(db(), app.content(), auth.user.id);
      return { topics: [...topics].map(([topicId, projectIds]) => ({ topicId, projectIds })) };
    },
  );
};

export default projectsRoutes;
