import type { Content } from '../content/content.types.js';
import type { Clock } from '../lib/clock.js';
import type { UserDataContext } from './user-data.js';

/** What importing or merging user data needs besides the transaction: content and the time. */
export function dataContext(content: Content, clock: Clock): UserDataContext {
  return {
    content,
    now: clock.now().toISOString(),
    canonicalTopicId(id) {
      const live = content.aliases.get(id) ?? id;
      if (content.topics.has(live) || content.retired.has(live)) return live;
      return null;
    },
  };
}
