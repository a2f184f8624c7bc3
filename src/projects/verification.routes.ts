import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { errorResponses } from '../http/schemas.js';
import { publicKeyDocument } from './evidence.js';
import type { ProjectsPlugin } from './projects.runtime.js';
import * as service from './projects.service.js';

// Verification records: yours (private by default; a project's list is with its runs in
// projects.routes.ts), a share link you can turn on and off, the
// shared view anyone with the link can read, and the instance's public key to check signatures.

const VerificationParams = Type.Object({ verificationId: Type.String({ format: 'uuid' }) });

const verificationRoutes: ProjectsPlugin = async (fastify, { runtime }) => {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const db = () => app.db.kysely;

  app.get(
    '/api/v1/verifications/:verificationId',
    {
      schema: {
        operationId: 'getVerification',
        tags: ['projects'],
        summary: 'One of your verification records with its Ed25519 signature (private unless you share it)',
        params: VerificationParams,
        response: { 200: Type.Ref('ProjectVerification'), ...errorResponses(400, 401, 404) },
      },
    },
    async (request) =>
      service.getVerification(db(), app.requireAuth(request).user.id, request.params.verificationId),
  );

  app.put(
    '/api/v1/verifications/:verificationId/sharing',
    {
      config: { changes: 'data' },
      schema: {
        operationId: 'setVerificationSharing',
        tags: ['projects'],
        summary:
          'Share a verification record through an unguessable link (a new one each time it is turned on; shown only in this response) or stop sharing it',
        params: VerificationParams,
        body: Type.Object({ shared: Type.Boolean() }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            verification: Type.Ref('ProjectVerification'),
            shareUrl: Type.Union([Type.String(), Type.Null()], {
              description: 'Path of the public record (with ?format=json for the JSON); null when not shared',
            }),
          }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request) => {
      const auth = app.requireAuth(request);
      const { verification, shareToken } = await service.setSharing(
        app.db,
        auth.user.id,
        request.params.verificationId,
        request.body.shared,
      );
      return { verification, shareUrl: shareToken ? `/v/${shareToken}` : null };
    },
  );

  const sharedRoute = {
    schema: {
      operationId: 'getSharedVerification',
      tags: ['projects'],
      summary:
        'A verification record its owner shared (anyone with the link); check it with `waymark verify-record`',
      security: [],
      params: Type.Object({ token: Type.String({ maxLength: 100 }) }),
      response: { 200: Type.Ref('SignedVerificationRecord'), ...errorResponses(400, 404) },
    },
  };
  const sharedRecord = async (request: { params: { token: string } }) =>
    (await service.getSharedVerification(db(), request.params.token)).signed;
  app.get('/api/v1/shared-verifications/:token', sharedRoute, sharedRecord);
  // The first address, kept for CLIs and links made before; the document lists only the one above
  // (this one reads ambiguously next to /verifications/{verificationId}/sharing).
  app.get(
    '/api/v1/verifications/shared/:token',
    { schema: { ...sharedRoute.schema, hide: true, operationId: 'getSharedVerificationLegacy' } },
    sharedRecord,
  );

  const keyRoute = {
    schema: {
      operationId: 'getVerificationKey',
      tags: ['projects'],
      summary: "This instance's Ed25519 public key, which signs every verification record",
      security: [],
      response: { 200: Type.Ref('VerificationKey'), ...errorResponses(431) },
    },
  };
  app.get('/api/v1/verification-key', keyRoute, async () => publicKeyDocument(await runtime.signingKey()));
  app.get(
    '/.well-known/waymark-verification-key',
    { schema: { ...keyRoute.schema, hide: true, operationId: 'getWellKnownVerificationKey' } },
    async () => publicKeyDocument(await runtime.signingKey()),
  );
};

export default verificationRoutes;
