// Hand-made SVG charts, rendered on the server. Colours come from CSS classes (charts.css beside this
// file), so they follow light and dark mode and print; lines also differ by dash pattern and markers,
// never by colour alone.
// Each chart is an <svg role="img"> with a title and a summary, followed by the same data as a table.

import type { VNode } from 'preact';
import { addDays } from '../../plan/dates.js';
import type { Burnup, Heatmap } from '../../plan/plan.tracking.js';
import { formatDay, formatShortDay, hours, plural } from '../../plan/pages/format.js';

const WIDTH = 720;
const HEIGHT = 300;
const MARGIN = { top: 18, right: 20, bottom: 42, left: 56 };

/** A round tick step giving about four intervals: 341.5 → 100, 125 topics → 50, 7 → 2. Whole numbers for counts. */
export function niceStep(max: number, integer: boolean): number {
  const raw = Math.max(max, integer ? 1 : 0.5) / 4;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step =
    [1, 2, 2.5, 5, 10].map((f) => f * magnitude).find((candidate) => candidate >= raw) ?? 10 * magnitude;
  return integer ? Math.max(1, Math.ceil(step)) : step;
}

const fixed = (n: number) => Math.round(n * 10) / 10;

function pathOf(points: { x: number; y: number }[]): string {
  return points.map((p, i) => `${i === 0 ? 'M' : 'L'}${fixed(p.x)} ${fixed(p.y)}`).join(' ');
}

export function BurnupChart({ data, id, title }: { data: Burnup; id: string; title: string }): VNode {
  const unit = data.unit === 'hours' ? 'hours' : 'topics';
  const innerW = WIDTH - MARGIN.left - MARGIN.right;
  const innerH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const yStep = niceStep(data.total, data.unit === 'topics');
  const yMax = Math.max(yStep, Math.ceil(data.total / yStep - 1e-9) * yStep);
  // The plan (and today) set the x axis; a forecast far beyond it is cut at the edge and labelled.
  const planEnd = Math.max(
    data.fromX,
    ...data.points.filter((p) => p.planned !== null && p.planned < data.total).map((p) => p.x + 1),
    data.todayX,
  );
  const xMax = Math.max(1, Math.min(data.weeks, Math.ceil(planEnd * 1.35 + 1)));
  const sx = (x: number) => MARGIN.left + (Math.min(x, xMax) / xMax) * innerW;
  const sy = (y: number) => MARGIN.top + innerH - (y / yMax) * innerH;
  const planned = data.points
    .filter((p) => p.planned !== null && Number.isInteger(p.x) && p.x <= xMax)
    .map((p) => ({ x: sx(p.x), y: sy(p.planned!) }));
  const actual = data.points.filter((p) => p.actual !== null).map((p) => ({ x: sx(p.x), y: sy(p.actual!) }));
  const forecastPoints = data.points.filter((p) => p.forecast !== null);
  const forecastCut = forecastPoints.length === 2 && forecastPoints[1]!.x > xMax;
  const forecast = forecastPoints.map((p, i) => {
    if (i === 0 || !forecastCut) return { x: sx(p.x), y: sy(p.forecast!) };
    const [a, b] = forecastPoints as [(typeof forecastPoints)[0], (typeof forecastPoints)[0]];
    const y = a.forecast! + ((b.forecast! - a.forecast!) * (xMax - a.x)) / (b.x - a.x);
    return { x: sx(xMax), y: sy(y) };
  });
  const yTicks = Array.from({ length: Math.round(yMax / yStep) + 1 }, (_, i) => i * yStep);
  const xStep = xMax <= 12 ? 1 : xMax <= 30 ? 4 : xMax <= 60 ? 8 : 13;
  const forecastEnd = data.points.find((p) => p.forecast !== null && p.actual === null);
  const xTicks: number[] = [];
  for (let x = 0; x <= xMax; x += xStep) xTicks.push(x);
  const todayPoint = data.points.find((p) => p.x === data.todayX && p.actual !== null);
  const lastPlanned = data.points.find((p) => p.planned !== null && p.planned >= data.total - 1e-9);
  const summary = [
    `Scope: ${hours(data.total)} ${unit}.`,
    todayPoint ? `Done by today: ${hours(todayPoint.actual!)} ${unit}.` : '',
    lastPlanned ? `The plan reaches the total by ${formatDay(addDays(lastPlanned.date, -1))}.` : '',
    forecastEnd
      ? `At the recent pace the total is reached around ${formatDay(forecastEnd.date)}.`
      : 'No forecast yet: nothing was finished in the last weeks.',
  ]
    .filter(Boolean)
    .join(' ');
  const tableRows = data.points.filter(
    (p) => Number.isInteger(p.x) || p.actual !== null || p.forecast !== null,
  );
  return (
    <figure class="chart" aria-labelledby={`${id}-caption`}>
      <figcaption id={`${id}-caption`}>{title}</figcaption>
      <svg
        class="chart-svg burnup"
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-labelledby={`${id}-title ${id}-desc`}
        preserveAspectRatio="xMidYMid meet"
      >
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{summary}</desc>
        <g class="chart-grid" aria-hidden="true">
          {yTicks.map((y) => (
            <g key={`y${y}`}>
              <line x1={MARGIN.left} x2={WIDTH - MARGIN.right} y1={fixed(sy(y))} y2={fixed(sy(y))} />
              <text class="chart-label" x={MARGIN.left - 8} y={fixed(sy(y)) + 4} text-anchor="end">
                {hours(y)}
              </text>
            </g>
          ))}
          {xTicks.map((x, i) => (
            <text
              key={`x${x}`}
              class={`chart-label tick-x${i % 2 === 1 && xTicks.length > 6 ? ' tick-minor' : ''}`}
              x={fixed(sx(x))}
              y={HEIGHT - MARGIN.bottom + 18}
              text-anchor="middle"
            >
              {x === 0 ? 'start' : `wk ${x}`}
            </text>
          ))}
          <text
            class="chart-label chart-axis-title"
            x={12}
            y={MARGIN.top + innerH / 2}
            transform={`rotate(-90 12 ${MARGIN.top + innerH / 2})`}
            text-anchor="middle"
          >
            {unit}
          </text>
        </g>
        <g aria-hidden="true">
          <line
            class="chart-scope"
            x1={MARGIN.left}
            x2={WIDTH - MARGIN.right}
            y1={fixed(sy(data.total))}
            y2={fixed(sy(data.total))}
          />
          {data.todayX <= xMax ? (
            <g class="chart-today">
              <line
                x1={fixed(sx(data.todayX))}
                x2={fixed(sx(data.todayX))}
                y1={MARGIN.top}
                y2={MARGIN.top + innerH}
              />
              <text class="chart-label" x={fixed(sx(data.todayX)) + 4} y={MARGIN.top + 12}>
                today
              </text>
            </g>
          ) : null}
          {planned.length > 1 ? <path class="chart-planned" d={pathOf(planned)} /> : null}
          {forecast.length > 1 ? <path class="chart-forecast" d={pathOf(forecast)} /> : null}
          {actual.length > 0 ? <path class="chart-actual" d={pathOf(actual)} /> : null}
          {actual.map((p, i) => (
            <circle key={i} class="chart-actual-dot" cx={fixed(p.x)} cy={fixed(p.y)} r="3" />
          ))}
          {forecastCut && forecastEnd ? (
            <text
              class="chart-label chart-note"
              x={WIDTH - MARGIN.right}
              y={fixed(forecast[1]!.y) - 8}
              text-anchor="end"
            >
              {`forecast finish ${formatShortDay(forecastEnd.date)} ${forecastEnd.date.slice(0, 4)} →`}
            </text>
          ) : null}
        </g>
      </svg>
      <ul class="chart-legend">
        <li>
          <span class="legend-swatch swatch-actual" aria-hidden="true"></span> Actual (solid line with dots)
        </li>
        <li>
          <span class="legend-swatch swatch-planned" aria-hidden="true"></span> Planned (thin line)
        </li>
        <li>
          <span class="legend-swatch swatch-forecast" aria-hidden="true"></span> Forecast at your recent pace
          (dashed)
        </li>
        <li>
          <span class="legend-swatch swatch-scope" aria-hidden="true"></span> Total (dotted)
        </li>
      </ul>
      <p class="chart-summary">{summary}</p>
      <details class="chart-table">
        <summary>Show the numbers as a table</summary>
        <table>
          <caption>
            {title}: cumulative {unit} per week
          </caption>
          <thead>
            <tr>
              <th scope="col">Date</th>
              <th scope="col">Planned</th>
              <th scope="col">Actual</th>
              <th scope="col">Forecast</th>
            </tr>
          </thead>
          <tbody>
            {tableRows.map((p) => (
              <tr key={`${p.x}-${p.date}`}>
                <th scope="row">
                  {formatDay(p.date)}
                  {p.x === data.todayX ? ' (today)' : ''}
                </th>
                <td>{p.planned === null ? '—' : hours(p.planned)}</td>
                <td>{p.actual === null ? '—' : hours(p.actual)}</td>
                <td>{p.forecast === null ? '—' : hours(p.forecast)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

const CELL = 13;
const GAP = 3;
const WEEKDAY_LABELS = ['Mon', '', 'Wed', '', 'Fri', '', 'Sun'];
const LEVEL_WORDS = ['no activity', '1–2 events', '3–5 events', '6–9 events', '10 or more events'];

export function HeatmapChart({ data, id }: { data: Heatmap; id: string }): VNode {
  const left = 34;
  const top = 20;
  const width = left + data.weeks.length * (CELL + GAP);
  const height = top + 7 * (CELL + GAP);
  const months: { x: number; label: string }[] = [];
  let lastMonth = '';
  let lastColumn = -3;
  data.weeks.forEach((week, w) => {
    // A column is labelled with the month its Sunday falls in; labels keep at least three columns apart.
    const sunday = week.days.at(-1)!.date;
    const month = sunday.slice(0, 7);
    if (month !== lastMonth && w - lastColumn >= 3 && w < data.weeks.length - 1) {
      months.push({ x: left + w * (CELL + GAP), label: formatShortDay(sunday).split(' ')[1] ?? '' });
      lastColumn = w;
    }
    lastMonth = month;
  });
  const lastDay =
    data.weeks
      .flatMap((w) => w.days)
      .filter((d) => !d.future)
      .at(-1)?.date ?? data.end;
  const summary = `${plural(data.activeDays, 'day')} with learning activity (${plural(data.total, 'event')}) between ${formatDay(data.start)} and ${formatDay(lastDay)}.`;
  return (
    <figure class="chart heatmap" aria-labelledby={`${id}-caption`}>
      <figcaption id={`${id}-caption`}>Activity in the last {data.weeks.length} weeks</figcaption>
      <div class="heatmap-scroll">
        <svg
          class="chart-svg heatmap-svg"
          viewBox={`0 0 ${width} ${height}`}
          width={width}
          height={height}
          role="img"
          aria-labelledby={`${id}-title ${id}-desc`}
        >
          <title id={`${id}-title`}>Activity heatmap</title>
          <desc id={`${id}-desc`}>{summary}</desc>
          <g aria-hidden="true">
            {months.map((m) => (
              <text key={m.x} class="chart-label" x={m.x} y={12}>
                {m.label}
              </text>
            ))}
            {WEEKDAY_LABELS.map((label, d) =>
              label ? (
                <text key={label} class="chart-label" x={0} y={top + d * (CELL + GAP) + CELL - 2}>
                  {label}
                </text>
              ) : null,
            )}
            {data.weeks.map((week, w) =>
              week.days.map((day, d) =>
                day.future ? null : (
                  <rect
                    key={day.date}
                    class={`heat heat-l${day.level}`}
                    x={left + w * (CELL + GAP)}
                    y={top + d * (CELL + GAP)}
                    width={CELL}
                    height={CELL}
                    rx="2"
                  >
                    <title>{`${formatDay(day.date)}: ${plural(day.count, 'event')}`}</title>
                  </rect>
                ),
              ),
            )}
          </g>
        </svg>
      </div>
      <ul class="heat-legend">
        <li class="legend-less">Less</li>
        {LEVEL_WORDS.map((word, level) => (
          <li key={level}>
            <span class={`heat-swatch heat-l${level}`} aria-hidden="true"></span>
            <span class="visually-hidden">{word}</span>
          </li>
        ))}
        <li class="legend-more">More</li>
      </ul>
      <p class="chart-summary">{summary}</p>
      <details class="chart-table">
        <summary>Show activity per week as a table</summary>
        <table>
          <caption>Learning activity per week</caption>
          <thead>
            <tr>
              <th scope="col">Week of</th>
              <th scope="col">Active days</th>
              <th scope="col">Events</th>
            </tr>
          </thead>
          <tbody>
            {[...data.weeks].reverse().map((week) => (
              <tr key={week.start}>
                <th scope="row">{formatDay(week.start)}</th>
                <td>{week.days.filter((d) => d.count > 0).length}</td>
                <td>{week.days.reduce((n, d) => n + d.count, 0)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
