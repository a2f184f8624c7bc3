import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Readable } from 'node:stream';
import { errorResponses } from '../http/schemas.js';
import { jsonPieces } from '../lib/slices.js';
import { exportUserData, importFields, importProblem, importValidated } from './account.service.js';
import { fieldsFromValidation, type AjvLikeError } from '../http/validation.js';
import { exportDocumentSchema } from './export-schema.js';

const IMPORT_LIMIT_BYTES = 20 * 1024 * 1024;

/** `GET /api/v1/me/export` and `POST /api/v1/me/import`: everything the user entered can leave and return. */
export default async function accountRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/api/v1/me/export',
    {
      schema: {
        operationId: 'exportMyData',
        tags: ['me'],
        summary: 'Download all of your data as JSON (progress, notes, activity, plans, review cards)',
        querystring: Type.Object({
          download: Type.Optional(
            Type.Union([Type.Literal('1'), Type.Literal('true'), Type.Literal('0'), Type.Literal('false')]),
          ),
        }),
        response: { 200: exportDocumentSchema(app.authDeps.userData), ...errorResponses(401) },
      },
    },
    async (request, reply) => {
      const auth = app.requireAuth(request);
      const document = await exportUserData(app.authDeps, auth.user);
      reply.header('cache-control', 'no-store');
      if (request.query.download === '1' || request.query.download === 'true') {
        const day = app.clock.now().toISOString().slice(0, 10);
        reply.header('content-disposition', `attachment; filename="waymark-export-${day}.json"`);
      }
      // Written in slices: the largest account's export is megabytes of JSON (issue 14). A stream is
      // sent as-is (the 200 schema describes it for the document); the type provider knows only the object form.
      return reply.type('application/json; charset=utf-8').send(Readable.from(jsonPieces(document)) as never);
    },
  );

  app.post(
    '/api/v1/me/import',
    {
      bodyLimit: IMPORT_LIMIT_BYTES,
      // The schema's errors become the import's own 400 ("This file cannot be imported: …").
      attachValidation: true,
      schema: {
        operationId: 'importMyData',
        tags: ['me'],
        summary: 'Import a Waymark export (all or nothing; importing twice changes nothing)',
        body: exportDocumentSchema(app.authDeps.userData),
        response: {
          200: Type.Object({ imported: Type.Record(Type.String(), Type.Integer()) }),
          ...errorResponses(400, 401, 403, 413),
        },
      },
    },
    async (request, reply) => {
      const auth = await app.requireUserOrGuest(request, reply);
      const invalid = request.validationError as { validation?: AjvLikeError[] } | undefined;
      if (invalid) throw importProblem(importFields(fieldsFromValidation('body', invalid.validation ?? [])));
      return importValidated(app.authDeps, auth.user, request.body as Record<string, unknown>);
    },
  );
}
