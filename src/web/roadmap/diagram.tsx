import type { VNode } from 'preact';
import type { Content } from '../../content/content.types.js';
import { iconPath } from '../components/icons.js';
import { STATUS_WORD, topicLabel, type WebStatus } from '../status.js';
import type { DiagramEdge, DiagramLayout, DiagramNode } from './diagram.layout.js';
import { NODE_WIDTH } from './diagram.layout.js';

// The roadmap diagram as server-rendered SVG: real text, real links (so it works without JavaScript and
// each node is reachable by keyboard and named for screen readers), status as icon + word on every node.
// Markup is kept lean: ~150 nodes are most of the roadmap page's weight.

const STATUSES: WebStatus[] = ['pending', 'learning', 'done', 'skipped'];

function points(list: [number, number][]): string {
  return list.map(([x, y], index) => `${index === 0 ? 'M' : 'L'}${x} ${y}`).join('');
}

function Edges({ edges }: { edges: DiagramEdge[] }) {
  if (edges.length === 0) return null;
  return (
    <g class="edges" aria-hidden="true">
      {edges.map((edge) => (
        <path d={points(edge.points)} key={`${edge.from}>${edge.to}`} />
      ))}
    </g>
  );
}

export interface DiagramProps {
  layout: DiagramLayout;
  content: Content;
  roadmapTitle: string;
  statusOf: (topicId: string) => WebStatus;
  /** Topic ids that do not match the current search/filter (drawn faded). */
  dimmed: Set<string> | null;
  selected: string | null;
}

function Node({
  node,
  href,
  title,
  status,
  dim,
  selected,
}: {
  node: DiagramNode;
  href: string;
  title: string;
  status: WebStatus;
  dim: boolean;
  selected: boolean;
}) {
  const classes = ['node', `s-${status}`];
  if (node.optional) classes.push('optional');
  if (dim) classes.push('dim');
  if (selected) classes.push('selected');
  const badgeY = node.height - 24;
  // Preact types <a> as the HTML element; in SVG it also takes presentation attributes such as transform.
  const svgAttributes: Record<string, string> = { transform: `translate(${node.x} ${node.y})` };
  return (
    <a
      href={href}
      class={classes.join(' ')}
      data-topic={node.id}
      {...svgAttributes}
      aria-label={topicLabel(title, status, node.optional)}
    >
      <rect width={node.width} height={node.height} rx="8" />
      <text class="title" x="12" y="22">
        {/* A space ends each line so the name read from the text keeps its words apart. */}
        {node.lines.map((line, index) =>
          index === 0 ? (
            `${line} `
          ) : (
            <tspan x="12" dy="16" key={index}>
              {`${line} `}
            </tspan>
          ),
        )}
      </text>
      <use href={`#i-${status}`} x="11" y={badgeY + 2} width="15" height="15" />
      <text class="word" x="31" y={badgeY + 14}>
        {STATUS_WORD[status]}
        {node.optional ? ', optional' : ''}
      </text>
    </a>
  );
}

export function Diagram({ layout, content, roadmapTitle, statusOf, dimmed, selected }: DiagramProps): VNode {
  const base = `/roadmaps/${layout.roadmapId}/topics/`;
  return (
    <svg
      class="diagram"
      id="diagram"
      viewBox={`0 0 ${layout.width} ${layout.height}`}
      width={layout.width}
      height={layout.height}
      role="group"
      aria-label={`${roadmapTitle}: diagram of steps and topics`}
      data-width={layout.width}
      data-node-width={NODE_WIDTH}
    >
      <defs>
        {STATUSES.map((status) => (
          <symbol id={`i-${status}`} viewBox="0 0 24 24" key={status}>
            <path d={iconPath(status)} />
          </symbol>
        ))}
        <marker
          id="arrow"
          viewBox="0 0 10 10"
          refX="9"
          refY="5"
          markerWidth="7"
          markerHeight="7"
          orient="auto-start-reverse"
        >
          <path d="M0 0L10 5L0 10z" />
        </marker>
      </defs>
      {layout.steps.map((step) => (
        <g class="step" role="group" aria-label={`Step ${step.title}`} key={step.id}>
          <rect x={step.x} y={step.y} width={step.width} height={step.height} rx="14" />
          <text x={step.x + 18} y={step.y + 32} aria-hidden="true">
            {step.title}
          </text>
          {step.groups.map((group) => (
            <g class="group" role="group" aria-label={group.title} key={group.id}>
              <rect x={group.x} y={group.y} width={group.width} height={group.height} rx="10" />
              <text x={group.x + 12} y={group.y + 22} aria-hidden="true">
                {group.title}
              </text>
              <Edges edges={group.edges} />
              {group.nodes.map((node) => (
                <Node
                  key={node.id}
                  node={node}
                  href={base + node.id}
                  title={content.topics.get(node.id)?.title ?? node.id}
                  status={statusOf(node.id)}
                  dim={dimmed?.has(node.id) ?? false}
                  selected={selected === node.id}
                />
              ))}
            </g>
          ))}
        </g>
      ))}
    </svg>
  );
}

/** The legend under the diagram: each status's icon and word, and what an arrow means. */
export function Legend(): VNode {
  return (
    <ul class="legend" aria-label="Legend">
      <li class="legend-title">Legend</li>
      {STATUSES.map((status) => (
        <li class={`s-${status}`} key={status}>
          <span class="badge">
            <svg
              class="icon"
              viewBox="0 0 24 24"
              aria-hidden="true"
              focusable="false"
              fill="none"
              stroke="currentColor"
              stroke-width="2"
              stroke-linecap="round"
              stroke-linejoin="round"
            >
              <path d={iconPath(status)} />
            </svg>
            {STATUS_WORD[status]}
          </span>
        </li>
      ))}
      <li>
        <span class="legend-line" aria-hidden="true"></span> builds on (arrow points to the later topic)
      </li>
      <li>Dotted border: optional topic</li>
    </ul>
  );
}
