import type { ChangeFeed, UserChange, UserEvent } from '../db/changes.js';
import type { UserEvents } from './user-events.js';
import type { UserVersions } from './user-versions.js';

/**
 * The one place committed writes are announced (wired into `app.db.write`): shared versions are
 * bumped before and after the commit, then each user's event is published — locally and, with
 * Redis, to every other instance — carrying their new data version.
 */
export function changeFeed(
  events: UserEvents,
  versions: UserVersions,
): ChangeFeed & { idle(): Promise<void> } {
  const pending = new Set<Promise<void>>();
  const publish = (changes: readonly UserChange[], versionsAfter: ReadonlyArray<number | null>) => {
    changes.forEach((change, i) => {
      const event: UserEvent = change.event ?? { type: 'changed', scope: change.scope };
      events.publish(change.userId, { ...event, version: versionsAfter[i] ?? null });
    });
  };
  return {
    beforeCommit: (changes) => versions.beginWrite(changes),
    afterCommit(changes, committed) {
      const after = versions.endWrite(changes);
      if (!committed) return;
      if (Array.isArray(after)) publish(changes, after);
      else {
        const done = after.then((values) => publish(changes, values));
        pending.add(done);
        void done.finally(() => pending.delete(done));
      }
    },
    /** Resolves once every announcement so far has been handed to Redis (the CLI waits for it before exiting). */
    async idle() {
      await Promise.all(pending);
    },
  };
}
