import { Type, type TObject, type TSchema } from '@sinclair/typebox';
import type { UserDataSection } from './user-data.js';

export const EXPORT_FORMAT = 'waymark-export';
export const EXPORT_VERSION = 1;

/**
 * The export document: a header plus every installed feature's section, each with the schema the
 * feature declared. `GET /api/v1/me/export` answers it and `POST /api/v1/me/import` accepts it
 * (sections may be left out of an import; unknown ones are refused).
 */
export function exportDocumentSchema(sections: readonly UserDataSection[]): TObject {
  const sectionSchemas: Record<string, TSchema> = {};
  for (const section of sections) sectionSchemas[section.name] = Type.Optional(section.schema);
  return Type.Object(
    {
      format: Type.Literal(EXPORT_FORMAT),
      version: Type.Literal(EXPORT_VERSION),
      exportedAt: Type.Optional(Type.String({ format: 'date-time' })),
      account: Type.Optional(
        Type.Object(
          {
            email: Type.Optional(Type.Union([Type.String(), Type.Null()])),
            timeZone: Type.Optional(Type.String()),
            createdAt: Type.Optional(Type.String()),
          },
          { description: 'Who exported it (informational; an import never changes the account)' },
        ),
      ),
      ...sectionSchemas,
    },
    { additionalProperties: false, title: 'WaymarkExport' },
  );
}
