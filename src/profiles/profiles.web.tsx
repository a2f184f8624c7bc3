import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { requireAccount } from '../auth/credentials.js';
import { problems } from '../http/problems.js';
import { verificationRecord } from '../projects/projects.read.js';
import { SharedVerificationPage } from '../projects/web/projects.pages.js';
import { formStateFromProblem } from '../web/components/forms.js';
import { attempt, back } from '../web/form-flow.js';
import { pageContext, sendPage } from '../web/layout.js';
import { renderSettings } from '../web/pages.routes.js';
import { badgeEtag, renderBadge } from './profiles.badge.js';
import { PublicProfilePage } from './profiles.page.js';
import { publicProfile, publicProjects, publicRoadmaps } from './profiles.public.js';
import { writeProfile } from './profiles.routes.js';
import * as profiles from './profiles.service.js';

// The public side in HTML and SVG (/u/{handle}, its badge, its records) and the settings section's
// no-JavaScript forms. Every public URL checks that the profile is public on each request, so
// turning it off answers 404 at once on every instance (nothing is cached in the server).

const hidden = { hide: true };
const HandleParams = Type.Object({ handle: Type.String({ minLength: 1, maxLength: 100 }) });

export default async function profilePages(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const origin = (request: { protocol: string; host: string }) =>
    app.config.publicOrigins[0] ?? `${request.protocol}://${request.host}`;

  app.get('/u/:handle', { schema: { ...hidden, params: HandleParams } }, async (request, reply) => {
    const profile = await profiles.requirePublicProfile(app.db.kysely, request.params.handle);
    if (profile.handle !== request.params.handle) return reply.redirect(`/u/${profile.handle}`, 301);
    const view = await publicProfile(app.db, app.content(), profile, app.clock.now());
    return sendPage(
      reply,
      request,
      <PublicProfilePage context={pageContext(request)} profile={view} origin={origin(request)} />,
    );
  });

  app.get(
    '/u/:handle/badge.svg',
    {
      schema: {
        ...hidden,
        params: HandleParams,
        querystring: Type.Object({ roadmap: Type.Optional(Type.String({ maxLength: 64 })) }),
      },
    },
    async (request, reply) => {
      const profile = await profiles.requirePublicProfile(app.db.kysely, request.params.handle);
      const [roadmaps, projects] = await Promise.all([
        publicRoadmaps(app.db, app.content(), profile.user_id),
        publicProjects(app.db, profile.handle, profile.user_id),
      ]);
      const wanted = request.query.roadmap;
      const roadmap = (wanted ? roadmaps.find((r) => r.roadmapId === wanted) : roadmaps[0]) ?? null;
      const svg = renderBadge({ roadmap, verified: projects.length });
      const etag = badgeEtag(svg);
      reply
        .header('etag', etag)
        .header('cache-control', 'public, no-cache')
        .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
        .header('x-content-type-options', 'nosniff');
      const match = request.headers['if-none-match'];
      if (match && match.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) {
        return reply.code(304).send();
      }
      return reply.type('image/svg+xml; charset=utf-8').send(svg);
    },
  );

  app.get(
    '/u/:handle/records/:verificationId',
    {
      schema: {
        ...hidden,
        params: Type.Object({
          handle: HandleParams.properties.handle,
          verificationId: Type.String({ format: 'uuid' }),
        }),
      },
    },
    async (request, reply) => {
      const profile = await profiles.requirePublicProfile(app.db.kysely, request.params.handle);
      const record = await verificationRecord(app.db.kysely, profile.user_id, request.params.verificationId);
      if (!record) throw problems.notFound('Verification', 'This profile has no such verification record.');
      return sendPage(
        reply,
        request,
        <SharedVerificationPage context={pageContext(request)} verification={record} />,
      );
    },
  );

  app.post(
    '/settings/profile',
    {
      schema: {
        ...hidden,
        body: Type.Object({
          handle: Type.Optional(Type.String({ maxLength: 200 })),
          displayName: Type.Optional(Type.String({ maxLength: 400 })),
          public: Type.Optional(Type.String({ maxLength: 10 })),
        }),
      },
    },
    async (request, reply) => {
      const auth = app.requireAuth(request);
      requireAccount(auth.user);
      const { handle = '', displayName = '' } = request.body;
      const input = { handle, displayName, public: request.body.public === 'true' };
      const now = app.clock.now().toISOString();
      return attempt(
        async () => {
          const saved = await writeProfile(app.db, auth.user.id, handle, (trx) =>
            profiles.saveSettings(trx, auth.user.id, input, now),
          );
          const text = saved.url
            ? `Profile saved. It is public at ${saved.url}.`
            : 'Profile saved. It is not public.';
          return back(reply, '/settings#profile', { kind: 'success', text });
        },
        (problem) =>
          renderSettings(app, request, reply, {
            status: problem.status,
            forms: {
              profile: formStateFromProblem(problem, ['handle', 'displayName'], {
                handle,
                displayName,
                public: String(input.public),
              }),
            },
          }),
      );
    },
  );

  app.post('/settings/profile/delete', { schema: hidden }, async (request, reply) => {
    const auth = app.requireAuth(request);
    await app.db.write((trx) => profiles.removeProfile(trx, auth.user.id), {
      userId: auth.user.id,
      scope: 'data',
    });
    return back(reply, '/settings#profile', {
      kind: 'success',
      text: 'Profile removed: its page and badge are gone and the handle is free.',
    });
  });
}
