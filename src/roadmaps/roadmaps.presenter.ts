import type { Content, Roadmap, Topic } from '../content/content.types.js';

/** Chooses, field by field, what of a topic the API shows (never the file path). */
export function presentTopicSummary(topic: Topic) {
  return {
    id: topic.id,
    title: topic.title,
    summary: topic.summary,
    estimateHours: topic.estimateHours,
    difficulty: topic.difficulty,
    optional: topic.optional,
    prerequisites: topic.prerequisites,
    tools: topic.tools,
  };
}

export function presentTopic(topic: Topic) {
  return {
    ...presentTopicSummary(topic),
    roadmaps: topic.roadmapIds,
    checklist: topic.checklist,
    resources: topic.resources,
    descriptionMarkdown: topic.bodyMarkdown,
    descriptionHtml: topic.bodyHtml,
    cardCount: topic.cards.length,
  };
}

export function presentRoadmapSummary(roadmap: Roadmap) {
  return {
    id: roadmap.id,
    title: roadmap.title,
    summary: roadmap.summary,
    weeks: roadmap.weeks,
    hoursPerWeek: roadmap.hoursPerWeek,
    topicCount: roadmap.topicIds.length,
    totalHours: roadmap.totalHours,
  };
}

export function presentRoadmap(content: Content, roadmap: Roadmap) {
  return {
    ...presentRoadmapSummary(roadmap),
    steps: roadmap.steps.map((step) => ({
      id: step.id,
      title: step.title,
      summary: step.summary,
      groups: step.groups.map((group) => ({
        title: group.title,
        topics: group.topicIds
          .map((id) => content.topics.get(id))
          .filter((t): t is Topic => t !== undefined)
          .map(presentTopicSummary),
      })),
    })),
    tools: roadmap.tools,
  };
}
