import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { requireAccount } from '../auth/credentials.js';
import type { Db } from '../db/database.js';
import type { WriteTx } from '../db/types.js';
import { isUniqueViolation } from '../db/unique.js';
import { problems } from '../http/problems.js';
import { errorResponses } from '../http/schemas.js';
import { publicProfile } from './profiles.public.js';
import * as profiles from './profiles.service.js';

// The public-profile API: your own settings (GET/PUT/DELETE /api/v1/me/profile) and the public
// read of a published profile (GET /api/v1/profiles/{handle}). The HTML page and the badge are in
// profiles.web.tsx.

const HandleParam = Type.String({ minLength: 1, maxLength: 100, description: 'A public handle (any case)' });

const ProfileSettingsSchema = Type.Object(
  {
    handle: Type.Union([Type.String(), Type.Null()], { description: 'Null until you choose one' }),
    displayName: Type.String(),
    public: Type.Boolean({ description: 'Off by default; nothing is public while it is off' }),
    url: Type.Union([Type.String(), Type.Null()], { description: 'Path of the public page while public' }),
    updatedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  },
  { $id: 'ProfileSettings', title: 'ProfileSettings' },
);

const PublicProfileSchema = Type.Object(
  {
    handle: Type.String(),
    displayName: Type.String(),
    roadmaps: Type.Array(
      Type.Object({
        roadmapId: Type.String(),
        title: Type.String(),
        percent: Type.Integer({ minimum: 0, maximum: 100 }),
        done: Type.Integer(),
        total: Type.Integer(),
      }),
      { description: 'Roadmaps the learner started, most complete first' },
    ),
    projects: Type.Array(
      Type.Object({
        verificationId: Type.String(),
        projectId: Type.String(),
        title: Type.String(),
        roadmapId: Type.String(),
        verifiedAt: Type.String({ format: 'date-time' }),
        recordUrl: Type.String({ description: 'Path of the signed record' }),
      }),
    ),
    streak: Type.Object({
      current: Type.Integer(),
      longest: Type.Integer(),
      lastActive: Type.Union([Type.String(), Type.Null()]),
    }),
  },
  { $id: 'PublicProfile', title: 'PublicProfile' },
);

/** Runs a profile write; two learners racing for one handle get the same 409 as a plain clash. */
export async function writeProfile<T>(
  db: Db,
  userId: string,
  handle: string,
  work: (trx: WriteTx) => Promise<T>,
): Promise<T> {
  try {
    return await db.write(work, { userId, scope: 'data' });
  } catch (error) {
    if (isUniqueViolation(error)) throw problems.handleTaken(handle.trim());
    throw error;
  }
}

export default async function profilesRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.addSchema(ProfileSettingsSchema);
  app.addSchema(PublicProfileSchema);

  app.get(
    '/api/v1/me/profile',
    {
      schema: {
        operationId: 'getMyProfile',
        tags: ['profiles'],
        summary: 'Your public-profile settings (off until you publish)',
        response: { 200: Type.Ref('ProfileSettings'), ...errorResponses(401) },
      },
    },
    async (request) => {
      const auth = app.requireAuth(request);
      return profiles.getSettings(app.db.kysely, auth.user.id);
    },
  );

  app.put(
    '/api/v1/me/profile',
    {
      schema: {
        operationId: 'updateMyProfile',
        tags: ['profiles'],
        summary:
          'Choose your handle and display name and publish (or stop publishing) /u/{handle} and its badge; handles are unique ignoring case',
        body: Type.Object(
          {
            handle: Type.String({ maxLength: 100 }),
            displayName: Type.String({ maxLength: 200 }),
            public: Type.Boolean(),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Ref('ProfileSettings'), ...errorResponses(400, 401, 403, 409, 422) },
      },
    },
    async (request) => {
      const auth = app.requireAuth(request);
      requireAccount(auth.user);
      const now = app.clock.now().toISOString();
      return writeProfile(app.db, auth.user.id, request.body.handle, (trx) =>
        profiles.saveSettings(trx, auth.user.id, request.body, now),
      );
    },
  );

  app.delete(
    '/api/v1/me/profile',
    {
      schema: {
        operationId: 'deleteMyProfile',
        tags: ['profiles'],
        summary: 'Remove your profile: the page and badge answer 404 at once and the handle is free again',
        response: { 204: Type.Null(), ...errorResponses(401) },
      },
    },
    async (request, reply) => {
      const auth = app.requireAuth(request);
      await app.db.write((trx) => profiles.removeProfile(trx, auth.user.id), {
        userId: auth.user.id,
        scope: 'data',
      });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/profiles/:handle',
    {
      schema: {
        operationId: 'getPublicProfile',
        tags: ['profiles'],
        summary:
          "A learner's published profile: progress per roadmap, verified projects, streak (404 unless public)",
        security: [],
        params: Type.Object({ handle: HandleParam }),
        response: { 200: Type.Ref('PublicProfile'), ...errorResponses(400, 404) },
      },
    },
    async (request, reply) => {
      const profile = await profiles.requirePublicProfile(app.db.kysely, request.params.handle);
      reply.header('cache-control', 'no-cache');
      return publicProfile(app.db, app.content(), profile, app.clock.now());
    },
  );
}
