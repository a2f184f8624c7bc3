import type { VNode } from 'preact';
import type { StatusCounts } from '../../progress/progress.service.js';
import { STATUS_WORD } from '../status.js';

import { Icon } from './icons.js';
import type { Status } from '../../progress/status.js';

/** A status as icon + word (never colour alone). */
export function StatusBadge({ status, optional = false }: { status: Status; optional?: boolean }): VNode {
  return (
    <span class={`badge s-${status}`} data-badge="">
      <Icon name={status} />
      <span class="badge-word">{STATUS_WORD[status]}</span>
      {optional ? <span class="visually-hidden">, optional</span> : null}
    </span>
  );
}

/**
 * The progress bar with its counts: finished = done + skipped, over the total. The client island keeps
 * the `data-count` numbers current after status changes.
 */
export function ProgressSummary({
  counts,
  id,
  label,
}: {
  counts: StatusCounts;
  id: string;
  label: string;
}): VNode {
  const finished = counts.done + counts.skipped;
  return (
    <div class="progress-block" data-progress="">
      <progress
        class="progress-meter"
        max={counts.total}
        value={finished}
        aria-labelledby={`${id}-label`}
        aria-describedby={`${id}-text`}
      ></progress>
      <span id={`${id}-label`} class="visually-hidden">
        {label}
      </span>
      <p class="progress-text" id={`${id}-text`}>
        <strong>
          <span data-count="finished">{finished}</span> of <span data-count="total">{counts.total}</span>
        </strong>{' '}
        topics finished (<span data-count="percent">{counts.percent}</span>%):{' '}
        <span data-count="done">{counts.done}</span> done, <span data-count="skipped">{counts.skipped}</span>{' '}
        skipped, <span data-count="learning">{counts.learning}</span> learning
      </p>
    </div>
  );
}
