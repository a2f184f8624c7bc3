import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Topic } from '../content/content.types.js';
import { problems } from '../http/problems.js';
import { RoadmapIdParam, TopicIdParam } from '../http/schemas.js';
import * as progress from '../progress/progress.service.js';
import { emptyForm, type FormState } from './components/forms.js';
import { NotePreview } from './components/topic.js';
import { renderHomeWidgets, renderPieces } from './home-widgets.js';
import { renderSettingsSections } from './settings-sections.js';
import {
  allowInlineStyles,
  pageContext,
  safeReturnPath,
  sendCachedPage,
  sendFragment,
  sendPage,
} from './layout.js';
import { LoginPage, SignupPage } from './pages/auth.pages.js';
import { HomePage, RoadmapsPage } from './pages/home.page.js';
import { PrintPage } from './pages/print.page.js';
import {
  ROADMAP_FIRST_PAINT_STYLES,
  RoadmapPage,
  type RoadmapView,
  type StatusFilter,
} from './pages/roadmap.page.js';
import { SettingsPage, type SettingsForm } from './pages/settings.page.js';
import { TopicPage, TopicPanel } from './pages/topic.page.js';
import { roadmapProjects, topicProjects } from '../projects/projects.read.js';
import { RoadmapProjects, TopicProjects } from '../projects/web/project-marks.js';
import { diagramFor } from './roadmap/diagram.layout.js';
import { homeData, roadmapProgress, searchRoadmap, settingsData } from './web.service.js';
import { requireRoadmap, requireTopic } from '../content/content.lookup.js';
import { isStatus } from '../progress/status.js';

// The pages (GET). Each handler reads top to bottom: who is asking → which roadmap/topic → the same
// services the JSON API uses → a Preact page rendered on the server.

const hidden = { hide: true };
const Query = (fields: Record<string, true>) =>
  Type.Object(
    Object.fromEntries(
      Object.keys(fields).map((name) => [name, Type.Optional(Type.String({ maxLength: 500 }))]),
    ),
  );

const FAVICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path fill="#4338ca" d="M12 1.5 3 6v6.5c0 5 3.8 8.9 9 10.5 5.2-1.6 9-5.5 9-10.5V6l-9-4.5Z"/><path fill="none" stroke="#fff" stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round" d="m8 12.5 2.8 2.8L16.5 9.6"/></svg>`;

/** Resolves /roadmaps/:roadmapId/topics/:topicId, following merged ids; 404 when the roadmap does not place the topic. */
export function findTopic(
  app: FastifyInstance,
  roadmapId: string,
  topicId: string,
): { canonical: string | null; topic: Topic } {
  const content = app.content();
  const roadmap = requireRoadmap(content, roadmapId);
  const topic = requireTopic(content, topicId);
  if (!roadmap.topicIds.includes(topic.id)) {
    throw problems.notFound('Topic', `The ${roadmap.title} roadmap has no topic "${topicId}".`);
  }
  return { canonical: topic.id === topicId ? null : `/roadmaps/${roadmap.id}/topics/${topic.id}`, topic };
}

/** Renders the settings page with the given form messages (also used by the no-JS form routes). */
export async function renderSettings(
  app: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
  options: {
    /** Form messages by form: the page's own (SettingsForm) or a feature section's id. */
    forms?: Partial<Record<SettingsForm | (string & {}), FormState>>;
    newToken?: { name: string; secret: string };
    status?: number;
  } = {},
): Promise<FastifyReply> {
  const context = pageContext(request);
  const [data, sections] = await Promise.all([
    settingsData(app, request.auth),
    renderSettingsSections(
      app.features.settingsSections,
      { app, request, user: context.user },
      options.forms ?? {},
    ),
  ]);
  const page = (
    <SettingsPage
      context={context}
      roadmaps={app.content().roadmapList}
      sessions={data.sessions}
      tokens={data.tokens}
      forms={options.forms ?? {}}
      newToken={options.newToken ?? null}
      sections={sections}
    />
  );
  // A new token's secret must not linger in any cache.
  return sendPage(reply, request, page, {
    status: options.status ?? 200,
    ...(options.newToken ? { headers: { 'cache-control': 'no-store' } } : {}),
  });
}

/** Renders a topic page, optionally with a message next to the note (the no-JS note form's failure). */
export async function renderTopic(
  app: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
  ids: { roadmapId: string; topicId: string },
  options: { partial?: 'panel' | 'note'; status?: number; noteDraft?: string; noteError?: string } = {},
): Promise<FastifyReply> {
  const content = app.content();
  const roadmap = requireRoadmap(content, ids.roadmapId);
  const { canonical, topic } = findTopic(app, ids.roadmapId, ids.topicId);
  if (canonical) return reply.redirect(canonical, 301);
  const userId = request.auth?.user.id ?? null;
  const [topicProgress, { statusOf, choices }] = await Promise.all([
    progress.getTopicProgress(app.db.kysely, userId, topic),
    roadmapProgress(app, userId, roadmap),
  ]);
  const props = {
    content,
    roadmap,
    topic,
    progress: topicProgress,
    statusOf,
    choices,
    noteDraft: options.noteDraft,
    noteError: options.noteError,
  };
  if (options.partial === 'panel') return sendFragment(reply, <TopicPanel {...props} />);
  if (options.partial === 'note') return sendFragment(reply, <NotePreview note={topicProgress.note} />);
  const [proving, sections] = await Promise.all([
    topicProjects(app.db.kysely, content, userId, topic.id),
    renderPieces(app.features.topicSections, {
      app,
      request,
      user: pageContext(request).user,
      roadmap,
      topic,
    }),
  ]);
  const after = (
    <>
      <TopicProjects projects={proving} />
      {sections.elements}
    </>
  );
  return sendPage(
    reply,
    request,
    <TopicPage {...props} context={pageContext(request)} after={after} styles={sections.styles} />,
    { status: options.status ?? 200 },
  );
}

export default async function pageRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get('/favicon.svg', { schema: hidden }, async (_request, reply) =>
    reply.type('image/svg+xml').header('cache-control', 'public, max-age=86400').send(FAVICON),
  );

  app.get('/', { schema: hidden }, async (request, reply) => {
    const context = pageContext(request);
    const [data, widgets] = await Promise.all([
      homeData(app, context.user?.id ?? null),
      renderHomeWidgets(app.features.homeWidgets, { app, request, user: context.user }),
    ]);
    return sendPage(
      reply,
      request,
      <HomePage
        context={context}
        content={app.content()}
        {...data}
        summaries={context.user ? data.summaries : new Map()}
        widgets={widgets.elements}
        styles={widgets.styles}
      />,
    );
  });

  app.get('/roadmaps', { schema: hidden }, async (request, reply) => {
    const context = pageContext(request);
    const data = await homeData(app, context.user?.id ?? null);
    return sendPage(
      reply,
      request,
      <RoadmapsPage
        context={context}
        content={app.content()}
        summaries={context.user ? data.summaries : new Map()}
      />,
    );
  });

  app.get(
    '/roadmaps/:roadmapId',
    {
      schema: {
        ...hidden,
        params: Type.Object({ roadmapId: RoadmapIdParam }),
        querystring: Query({ view: true, status: true, q: true }),
      },
    },
    async (request, reply) => {
      const content = app.content();
      const roadmap = requireRoadmap(content, request.params.roadmapId);
      const { view: rawView, status: rawStatus, q } = request.query;
      const view: RoadmapView = rawView === 'list' || rawView === 'diagram' ? rawView : 'auto';
      const filter: StatusFilter = isStatus(rawStatus) ? rawStatus : 'all';
      const query = (q ?? '').trim().slice(0, 200);
      allowInlineStyles(reply, ROADMAP_FIRST_PAINT_STYLES);
      return sendCachedPage(app, request, reply, async () => {
        const [layout, { statusOf, summary, choices }, projects] = await Promise.all([
          diagramFor(content, roadmap),
          roadmapProgress(app, request.auth?.user.id ?? null, roadmap),
          roadmapProjects(app.db.kysely, content, request.auth?.user.id ?? null, roadmap.id),
        ]);
        const matches = query ? searchRoadmap(content, roadmap, query) : null;
        return {
          page: (
            <RoadmapPage
              context={pageContext(request)}
              content={content}
              roadmap={roadmap}
              layout={layout}
              summary={summary}
              statusOf={statusOf}
              choices={choices}
              view={view}
              filter={filter}
              query={query}
              matches={matches}
              after={<RoadmapProjects content={content} roadmap={roadmap} projects={projects} />}
            />
          ),
        };
      });
    },
  );

  app.get(
    '/roadmaps/:roadmapId/search',
    {
      schema: {
        ...hidden,
        params: Type.Object({ roadmapId: RoadmapIdParam }),
        querystring: Type.Object({ q: Type.String({ maxLength: 200 }) }),
      },
    },
    async (request, reply) => {
      // JSON for the search box; the page itself searches with ?q= without JavaScript.
      const content = app.content();
      const roadmap = requireRoadmap(content, request.params.roadmapId);
      const ids = searchRoadmap(content, roadmap, request.query.q);
      reply.header('cache-control', 'public, max-age=300');
      return {
        query: request.query.q,
        topicIds: ids,
        topics: ids.slice(0, 30).map((id) => ({
          id,
          title: content.topics.get(id)?.title ?? id,
          summary: content.topics.get(id)?.summary ?? '',
        })),
      };
    },
  );

  app.get(
    '/roadmaps/:roadmapId/topics/:topicId',
    {
      schema: {
        ...hidden,
        params: Type.Object({ roadmapId: RoadmapIdParam, topicId: TopicIdParam }),
        querystring: Query({ partial: true }),
      },
    },
    async (request, reply) => {
      const partial =
        request.query.partial === 'panel' || request.query.partial === 'note'
          ? request.query.partial
          : undefined;
      return renderTopic(app, request, reply, request.params, { ...(partial ? { partial } : {}) });
    },
  );

  app.get(
    '/roadmaps/:roadmapId/print',
    { schema: { ...hidden, params: Type.Object({ roadmapId: RoadmapIdParam }) } },
    async (request, reply) => {
      const content = app.content();
      const roadmap = requireRoadmap(content, request.params.roadmapId);
      const userId = request.auth?.user.id ?? null;
      const { statusOf, summary, choices } = await roadmapProgress(app, userId, roadmap);
      return sendPage(
        reply,
        request,
        <PrintPage
          context={pageContext(request)}
          content={content}
          roadmap={roadmap}
          summary={userId ? summary : null}
          statusOf={statusOf}
          choices={choices}
        />,
      );
    },
  );

  app.get(
    '/signup',
    { schema: { ...hidden, querystring: Query({ return: true }) } },
    async (request, reply) =>
      sendPage(
        reply,
        request,
        <SignupPage
          context={pageContext(request)}
          form={emptyForm()}
          returnTo={safeReturnPath(request.query.return)}
        />,
      ),
  );

  app.get('/login', { schema: { ...hidden, querystring: Query({ return: true }) } }, async (request, reply) =>
    sendPage(
      reply,
      request,
      <LoginPage
        context={pageContext(request)}
        form={emptyForm()}
        returnTo={safeReturnPath(request.query.return)}
      />,
    ),
  );

  app.get('/settings', { schema: hidden }, async (request, reply) => renderSettings(app, request, reply));
}
