// Looking up what a request names in the loaded content, with the 404 a person can act on.

import { problems } from '../http/problems.js';
import type { Content, Roadmap, Topic } from './content.types.js';

/** Resolves a topic id the client sent (maybe a merged alias) to a live topic, or 404. */
export function requireTopic(content: Content, topicId: string): Topic {
  const id = content.aliases.get(topicId) ?? topicId;
  const topic = content.topics.get(id);
  if (!topic) {
    throw problems.notFound(
      'Topic',
      `There is no topic with id "${topicId}". Topic ids are listed by GET /api/v1/roadmaps/{roadmapId}.`,
    );
  }
  return topic;
}

/** The roadmap with this id, or 404 listing the ones that exist. */
export function requireRoadmap(content: Content, roadmapId: string): Roadmap {
  const roadmap = content.roadmaps.get(roadmapId);
  if (!roadmap) {
    const known = content.roadmapList.map((r) => r.id).join(', ');
    throw problems.notFound('Roadmap', `There is no roadmap "${roadmapId}". Available: ${known}.`);
  }
  return roadmap;
}
