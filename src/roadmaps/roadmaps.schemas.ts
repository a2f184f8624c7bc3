import { Type } from '@sinclair/typebox';
import { DIFFICULTIES, RESOURCE_TYPES } from '../content/content.topic.js';

// The API shapes of what roadmaps.presenter.ts returns, for the routes' 200 responses (and so the
// OpenAPI document, from which clients generate their types). Field for field the presenter's output.

const literals = (values: readonly string[]) => Type.Union(values.map((v) => Type.Literal(v)));

export const TopicSummarySchema = Type.Object(
  {
    id: Type.String(),
    title: Type.String(),
    summary: Type.String({ description: 'Plain text: the first paragraph, at most 300 characters' }),
    estimateHours: Type.Number(),
    difficulty: literals(DIFFICULTIES),
    optional: Type.Boolean(),
    prerequisites: Type.Array(Type.String(), { description: 'Topic ids to learn first' }),
    tools: Type.Array(Type.String()),
  },
  { $id: 'TopicSummary', title: 'TopicSummary' },
);

export const TopicSchema = Type.Object(
  {
    ...TopicSummarySchema.properties,
    roadmaps: Type.Array(Type.String(), { description: 'Ids of the roadmaps that place this topic' }),
    checklist: Type.Array(Type.Object({ id: Type.String(), text: Type.String() })),
    resources: Type.Array(
      Type.Object({ type: literals(RESOURCE_TYPES), title: Type.String(), url: Type.String() }),
    ),
    descriptionMarkdown: Type.String(),
    descriptionHtml: Type.String({ description: 'Sanitised HTML rendered from descriptionMarkdown' }),
    cardCount: Type.Integer({ description: 'Review cards this topic has' }),
  },
  { title: 'Topic' },
);

export const RoadmapSummarySchema = Type.Object(
  {
    id: Type.String(),
    title: Type.String(),
    summary: Type.String(),
    weeks: Type.Number(),
    hoursPerWeek: Type.Number(),
    topicCount: Type.Integer(),
    totalHours: Type.Number(),
  },
  { title: 'RoadmapSummary' },
);

export const RoadmapSchema = Type.Object(
  {
    ...RoadmapSummarySchema.properties,
    steps: Type.Array(
      Type.Object({
        id: Type.String(),
        title: Type.String(),
        summary: Type.String(),
        groups: Type.Array(Type.Object({ title: Type.String(), topics: Type.Array(Type.Ref('TopicSummary')) })),
      }),
    ),
    tools: Type.Array(Type.String(), { description: 'Topic ids forming the roadmap’s tools section' }),
  },
  { title: 'Roadmap' },
);
