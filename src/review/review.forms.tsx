// The review page's form pieces: hidden fields that carry the session along, and the two settings forms
// (daily limits and retention; new cards per day) shown under the queue.

import type { VNode } from 'preact';
import { NEW_CARDS, RETENTION } from './review.service.js';

export function Hidden({
  name,
  value,
}: {
  name: string;
  value: string | number | null | undefined;
}): VNode | null {
  return value === null || value === undefined ? null : (
    <input type="hidden" name={name} value={String(value)} />
  );
}

export function Settings({
  desiredRetention,
  draft,
  error,
  done,
}: {
  desiredRetention: number;
  draft?: string | undefined;
  error?: string | undefined;
  done: number;
}): VNode {
  const percent = draft ?? String(Math.round(desiredRetention * 1000) / 10);
  return (
    <section class="card review-settings" aria-labelledby="review-settings-title">
      <h2 id="review-settings-title">Desired retention</h2>
      <form method="post" action="/review/settings" class="row">
        <Hidden name="done" value={done > 0 ? done : null} />
        <div class="field">
          <label for="review-retention">Retention target (%)</label>
          <input
            id="review-retention"
            name="retention"
            type="number"
            inputMode="decimal"
            min={String(RETENTION.min * 100)}
            max={String(RETENTION.max * 100)}
            step="any"
            value={percent}
            required
            aria-describedby={
              error ? 'review-retention-error review-retention-hint' : 'review-retention-hint'
            }
            aria-invalid={error ? 'true' : undefined}
          />
          {error ? (
            <p id="review-retention-error" class="field-error">
              {error}
            </p>
          ) : null}
        </div>
        <button type="submit" class="button button-quiet">
          Save
        </button>
      </form>
      <p id="review-retention-hint" class="field-hint">
        How likely you want to be to recall a card when it comes due, from {RETENTION.min * 100} to{' '}
        {RETENTION.max * 100}. Higher means shorter intervals and more reviews; 90 suits most learners. A
        change applies from your next rating.
      </p>
    </section>
  );
}

export function NewCardSettings({
  perDay,
  draft,
  error,
  done,
}: {
  perDay: number;
  draft?: string | undefined;
  error?: string | undefined;
  done: number;
}): VNode {
  return (
    <section class="card review-settings" aria-labelledby="review-new-title">
      <h2 id="review-new-title">New cards a day</h2>
      <form method="post" action="/review/settings/new-cards" class="row">
        <Hidden name="done" value={done > 0 ? done : null} />
        <div class="field">
          <label for="review-new-cards">New cards in any 24 hours</label>
          <input
            id="review-new-cards"
            name="newCards"
            type="number"
            inputMode="numeric"
            min={String(NEW_CARDS.min)}
            max={String(NEW_CARDS.max)}
            step="1"
            value={draft ?? String(perDay)}
            required
            aria-describedby={
              error ? 'review-new-cards-error review-new-cards-hint' : 'review-new-cards-hint'
            }
            aria-invalid={error ? 'true' : undefined}
          />
          {error ? (
            <p id="review-new-cards-error" class="field-error">
              {error}
            </p>
          ) : null}
        </div>
        <button type="submit" class="button button-quiet">
          Save
        </button>
      </form>
      <p id="review-new-cards-hint" class="field-hint">
        Marking several topics at once adds many cards; you meet at most this many new ones a day and the rest
        wait their turn. {NEW_CARDS.default} suits most learners; 0 pauses new cards.
      </p>
    </section>
  );
}
