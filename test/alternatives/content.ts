import type { AlternativeSet, Content } from '../../src/content/content.types.js';
import { realContent } from '../helpers.js';

/** The first-language set the tests choose in (members that exist in the shipped content). */
export const LANGUAGES = ['javascript-basics', 'python-basics', 'php-basics'] as const;

/**
 * The shipped content with a backend "first-language" set: the shipped one when the roadmap has it,
 * else one made of {@link LANGUAGES} with javascript-basics as the default (what roadmap.yaml will say).
 */
export async function contentWithLanguages(): Promise<Content> {
  const content = await realContent();
  const backend = content.roadmaps.get('backend')!;
  if (backend.alternatives.some((set) => set.id === 'first-language')) return content;
  const set: AlternativeSet = {
    id: 'first-language',
    title: 'Your first server-side language',
    summary: 'Pick one; the concepts carry over.',
    defaultTopicId: 'javascript-basics',
    topicIds: [...LANGUAGES],
    required: true,
  };
  const alternatives = [...backend.alternatives, set];
  const next = {
    ...backend,
    alternatives,
    alternativeOf: new Map(
      alternatives.flatMap((s) => s.topicIds.map((id): [string, AlternativeSet] => [id, s])),
    ),
  };
  return {
    ...content,
    roadmaps: new Map([...content.roadmaps].map(([id, r]) => [id, id === 'backend' ? next : r])),
    roadmapList: content.roadmapList.map((r) => (r.id === 'backend' ? next : r)),
  };
}
