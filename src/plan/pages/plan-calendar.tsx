import type { VNode } from 'preact';
import { Icon } from '../../web/components/icons.js';
import type { PlanView } from '../plan.presenter.js';
import { sessionLength } from '../plan.settings.js';
import { formatInstant } from './format.js';

// The plan page's calendar section: the .ics download and the private subscription link.

export function Calendar({ plan, newFeedUrl }: { plan: PlanView; newFeedUrl: string | null }): VNode {
  const base = `/roadmaps/${plan.roadmapId}/plan`;
  return (
    <section class="card plan-calendar" id="calendar" aria-labelledby="calendar-title">
      <h2 id="calendar-title">Calendar</h2>
      {!plan.saved ? (
        <p class="muted">Save your plan to download it as a calendar or subscribe to it.</p>
      ) : (
        <>
          <p>
            One all-day event per week with its goals
            {plan.settings.studyTime
              ? `, and a ${sessionLength(plan.settings)}-minute study session at ${plan.settings.studyTime} (${plan.settings.timeZone}) on each study day`
              : ''}
            .
          </p>
          <p>
            <a class="button button-quiet" href={`/api/v1/roadmaps/${plan.roadmapId}/plan.ics`} download="">
              <Icon name="download" /> Download .ics
            </a>
          </p>
          <h3>Private subscription link</h3>
          {newFeedUrl ? (
            <div class="secret-box feed-box" role="status">
              <label for="feed-url">Your feed URL — copy it now, it is shown only once:</label>
              <div class="feed-row">
                <input id="feed-url" type="text" readonly value={newFeedUrl} class="feed-url" />
                <button type="button" class="button button-small" data-copy="feed-url" hidden>
                  Copy
                </button>
              </div>
              <p class="field-hint">
                Add it in your calendar app as a subscription (“From URL”). Anyone with the link can see your
                plan: revoke it if it leaks.
              </p>
            </div>
          ) : null}
          {plan.feed.active ? (
            <p>
              A feed link is active (created {formatInstant(plan.feed.createdAt!, plan.settings.timeZone)}
              {plan.feed.lastUsedAt
                ? `, last fetched ${formatInstant(plan.feed.lastUsedAt, plan.settings.timeZone)}`
                : ', not fetched yet'}
              ).
            </p>
          ) : (
            <p class="muted">
              Calendar apps can follow your plan as it changes through a private link. No link is active.
            </p>
          )}
          <div class="feed-actions">
            <form method="post" action={`${base}/feed`} class="inline-form">
              <button type="submit" class="button button-small">
                {plan.feed.active ? 'Replace the link' : 'Create a link'}
              </button>
            </form>
            {plan.feed.active ? (
              <form method="post" action={`${base}/feed/revoke`} class="inline-form">
                <button type="submit" class="button button-quiet button-small">
                  Revoke the link
                </button>
              </form>
            ) : null}
          </div>
        </>
      )}
    </section>
  );
}
