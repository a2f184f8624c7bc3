// The review page's form pieces: hidden fields that carry the session along, and the settings shown
// under the queue (desired retention; new cards per day), one form component over a list of fields.

import type { ComponentChildren, VNode } from 'preact';
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

/** One review setting: a small form of its own with one number field, a Save button and a hint. */
interface SettingField {
  /** The input's id; the error and hint take it as their prefix. */
  id: string;
  titleId: string;
  title: string;
  action: string;
  label: string;
  name: string;
  inputMode: 'decimal' | 'numeric';
  min: number;
  max: number;
  step: string;
  value: string;
  error: string | undefined;
  hint: ComponentChildren;
}

function SettingForm({ field, done }: { field: SettingField; done: number }): VNode {
  const { id, error } = field;
  return (
    <section class="card review-settings" aria-labelledby={field.titleId}>
      <h2 id={field.titleId}>{field.title}</h2>
      <form method="post" action={field.action} class="row">
        <Hidden name="done" value={done > 0 ? done : null} />
        <div class="field">
          <label for={id}>{field.label}</label>
          <input
            id={id}
            name={field.name}
            type="number"
            inputMode={field.inputMode}
            min={String(field.min)}
            max={String(field.max)}
            step={field.step}
            value={field.value}
            required
            aria-describedby={error ? `${id}-error ${id}-hint` : `${id}-hint`}
            aria-invalid={error ? 'true' : undefined}
          />
          {error ? (
            <p id={`${id}-error`} class="field-error">
              {error}
            </p>
          ) : null}
        </div>
        <button type="submit" class="button button-quiet">
          Save
        </button>
      </form>
      <p id={`${id}-hint`} class="field-hint">
        {field.hint}
      </p>
    </section>
  );
}

export interface ReviewSettingsProps {
  desiredRetention: number;
  retentionDraft?: string | undefined;
  retentionError?: string | undefined;
  newCardsPerDay: number;
  newCardsDraft?: string | undefined;
  newCardsError?: string | undefined;
  /** Ratings given since the page was first opened (carried in the URL). */
  done: number;
}

/** The settings shown under the queue: desired retention, then new cards a day. */
export function ReviewSettings(props: ReviewSettingsProps): VNode {
  const fields: SettingField[] = [
    {
      id: 'review-retention',
      titleId: 'review-settings-title',
      title: 'Desired retention',
      action: '/review/settings',
      label: 'Retention target (%)',
      name: 'retention',
      inputMode: 'decimal',
      min: RETENTION.min * 100,
      max: RETENTION.max * 100,
      step: 'any',
      value: props.retentionDraft ?? String(Math.round(props.desiredRetention * 1000) / 10),
      error: props.retentionError,
      hint: (
        <>
          How likely you want to be to recall a card when it comes due, from {RETENTION.min * 100} to{' '}
          {RETENTION.max * 100}. Higher means shorter intervals and more reviews; 90 suits most learners. A
          change applies from your next rating.
        </>
      ),
    },
    {
      id: 'review-new-cards',
      titleId: 'review-new-title',
      title: 'New cards a day',
      action: '/review/settings/new-cards',
      label: 'New cards in any 24 hours',
      name: 'newCards',
      inputMode: 'numeric',
      min: NEW_CARDS.min,
      max: NEW_CARDS.max,
      step: '1',
      value: props.newCardsDraft ?? String(props.newCardsPerDay),
      error: props.newCardsError,
      hint: (
        <>
          Marking several topics at once adds many cards; you meet at most this many new ones a day and the
          rest wait their turn. {NEW_CARDS.default} suits most learners; 0 pauses new cards.
        </>
      ),
    },
  ];
  return (
    <>
      {fields.map((field) => (
        <SettingForm key={field.id} field={field} done={props.done} />
      ))}
    </>
  );
}
