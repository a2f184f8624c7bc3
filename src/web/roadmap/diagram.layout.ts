import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ELK as ElkInstance, ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api.js';
import type { Content, Roadmap } from '../../content/content.types.js';

// The roadmap diagram's geometry, computed by ELK's layered algorithm from the roadmap's structure:
// each step is a box, each group a box inside it, each topic a node inside its group, and a
// prerequisite inside a group is an edge (topics are placed below what they build on). Steps are
// chained top to bottom, and the roadmap's tools section follows them as one more box. Prerequisites across groups would cross the whole drawing, so the diagram
// leaves them to the topic panel ("Builds on"). Layout takes about a second for ~150 topics, so it runs
// once per roadmap per content version and is kept in memory.

export const NODE_WIDTH = 220;
const LINE_HEIGHT = 16;
const NODE_PADDING_TOP = 20;
const BADGE_ROW = 24;
/** Characters per title line at 13px semi-bold in a 220px node: a safe under-estimate for system fonts. */
const CHARS_PER_LINE = 24;
const MAX_LINES = 4;
/** The width each step aims for: fits a laptop screen next to nothing, or scrolls a little beside the panel. */
const TARGET_WIDTH = 1300;

export interface DiagramNode {
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
  /** The title, wrapped to fit the node. */
  lines: string[];
  optional: boolean;
  /** A node of the tools section: the same topic also stands in its step. */
  tool: boolean;
}

export interface DiagramBox {
  id: string;
  title: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface DiagramGroup extends DiagramBox {
  nodes: DiagramNode[];
  /** Prerequisites between topics of this group. */
  edges: DiagramEdge[];
}

export interface DiagramStep extends DiagramBox {
  /** The step's id in roadmap.yaml, or "tools" for the tools section. */
  stepId: string;
  /** 1-based step number; 0 for the tools section. */
  number: number;
  groups: DiagramGroup[];
}

export interface DiagramEdge {
  from: string;
  to: string;
  /** Polyline points, start to end. */
  points: [number, number][];
}

export interface DiagramLayout {
  roadmapId: string;
  width: number;
  height: number;
  steps: DiagramStep[];
  /** Every node, in roadmap order (steps, groups, topics), for keyboard navigation and lookups. */
  nodes: DiagramNode[];
}

/** Wraps a title into lines of at most `width` characters, cutting between words; the last line gets "…" if needed. */
export function wrapTitle(title: string, width = CHARS_PER_LINE, maxLines = MAX_LINES): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of title.split(/\s+/)) {
    const candidate = line ? `${line} ${word}` : word;
    if (candidate.length <= width || line === '') {
      line = candidate;
    } else {
      lines.push(line);
      line = word;
    }
  }
  if (line) lines.push(line);
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  const last = kept[maxLines - 1] ?? '';
  kept[maxLines - 1] = `${last.slice(0, width - 1).trimEnd()}…`;
  return kept;
}

export function nodeHeight(lineCount: number): number {
  return NODE_PADDING_TOP + (lineCount - 1) * LINE_HEIGHT + BADGE_ROW + 8;
}

// elkjs is CommonJS: under Node's ESM the constructor is the module object (its `default` in some builds).
// Loaded on first use: the bundle is large to parse, and cached layouts (below) usually make it unnecessary.
async function newElk(): Promise<ElkInstance> {
  const elkModule: unknown = await import('elkjs/lib/elk.bundled.js');
  const withDefault = elkModule as { default?: unknown };
  const Constructor = (withDefault.default ?? elkModule) as new () => ElkInstance;
  return new Constructor();
}

const ORDERED = { 'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES' };
const TOOLS_STEP = 'step:tools';

/** What one box of the drawing holds: a step's groups, or the tools section as a single group. */
interface StepSource {
  elkId: string;
  groups: { title: string; topicIds: string[] }[];
}

function stepSources(roadmap: Roadmap): StepSource[] {
  const sources: StepSource[] = roadmap.steps.map((step) => ({
    elkId: `step:${step.id}`,
    groups: step.groups,
  }));
  if (roadmap.tools.length > 0)
    sources.push({ elkId: TOOLS_STEP, groups: [{ title: 'Tools', topicIds: roadmap.tools }] });
  return sources;
}

/** ELK ids are unique: a tool's node is "tool:<topic id>". */
const elkNodeId = (source: StepSource, topicId: string) =>
  source.elkId === TOOLS_STEP ? `tool:${topicId}` : topicId;

/** Groups of up to four topics keep two side by side, larger ones three or four: wide rather than tall. */
function layerBound(size: number): number {
  return size > 6 ? 4 : size > 4 ? 3 : 2;
}

function buildGraph(content: Content, roadmap: Roadmap): ElkNode {
  const sources = stepSources(roadmap);
  return {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'DOWN',
      'elk.json.shapeCoords': 'ROOT',
      'elk.json.edgeCoords': 'ROOT',
      'elk.padding': '[top=12,left=12,bottom=12,right=12]',
      'elk.layered.spacing.nodeNodeBetweenLayers': '44',
      ...ORDERED,
    },
    children: sources.map((step, stepIndex) => ({
      id: step.elkId,
      layoutOptions: {
        // Groups are packed in reading order, in rows about as wide as a laptop screen.
        'elk.algorithm': 'rectpacking',
        'elk.padding': '[top=52,left=18,bottom=18,right=18]',
        'elk.spacing.nodeNode': '20',
        'elk.rectpacking.widthApproximation.strategy': 'TARGET_WIDTH',
        'elk.rectpacking.widthApproximation.targetWidth': String(TARGET_WIDTH),
        'elk.contentAlignment': 'V_TOP H_LEFT',
        // Rows end flush: groups stretch to the row's width instead of leaving a ragged gap.
        'elk.rectpacking.whiteSpaceElimination.strategy': 'EQUAL_BETWEEN_STRUCTURES',
      },
      children: step.groups.map((group, groupIndex) => {
        const inGroup = new Set(group.topicIds);
        return {
          id: `group:${stepIndex}:${groupIndex}`,
          layoutOptions: {
            'elk.algorithm': 'layered',
            'elk.direction': 'DOWN',
            'elk.padding': '[top=36,left=12,bottom=12,right=12]',
            'elk.spacing.nodeNode': '14',
            'elk.spacing.componentComponent': '14',
            'elk.layered.spacing.nodeNodeBetweenLayers': '26',
            'elk.layered.spacing.edgeNodeBetweenLayers': '12',
            'elk.edgeRouting': 'ORTHOGONAL',
            // One graph per group, at most layerBound() topics side by side (Coffman–Graham bounds each layer).
            'elk.separateConnectedComponents': 'false',
            'elk.layered.layering.strategy': 'COFFMAN_GRAHAM',
            'elk.layered.layering.coffmanGraham.layerBound': String(layerBound(group.topicIds.length)),
            ...ORDERED,
          },
          children: group.topicIds.map((id) => {
            const lines = wrapTitle(content.topics.get(id)?.title ?? id);
            return { id: elkNodeId(step, id), width: NODE_WIDTH, height: nodeHeight(lines.length) };
          }),
          // The tools section repeats topics placed in steps: their prerequisites are drawn there.
          edges: (step.elkId === TOOLS_STEP ? [] : group.topicIds).flatMap((id) =>
            (content.topics.get(id)?.prerequisites ?? [])
              .filter((prerequisite) => inGroup.has(prerequisite))
              .map((prerequisite): ElkExtendedEdge => ({
                id: `${prerequisite}>${id}`,
                sources: [prerequisite],
                targets: [id],
              })),
          ),
        };
      }),
    })),
    edges: sources.slice(1).map((step, index) => ({
      id: `step>${index}`,
      sources: [sources[index]?.elkId ?? ''],
      targets: [step.elkId],
    })),
  };
}

const round = (value: number | undefined) => Math.round((value ?? 0) * 10) / 10;

function edgePoints(edge: ElkExtendedEdge): [number, number][] {
  const section = edge.sections?.[0];
  if (!section) return [];
  return [section.startPoint, ...(section.bendPoints ?? []), section.endPoint].map((p) => [
    round(p.x),
    round(p.y),
  ]);
}

/** Lays a roadmap out (about a second for ~150 topics). Prefer {@link diagramFor}, which caches. */
export async function layoutDiagram(content: Content, roadmap: Roadmap): Promise<DiagramLayout> {
  const elk = await newElk();
  const root = await elk.layout(buildGraph(content, roadmap));
  const layout: DiagramLayout = {
    roadmapId: roadmap.id,
    width: Math.ceil(root.width ?? 0),
    height: Math.ceil(root.height ?? 0),
    steps: [],
    nodes: [],
  };
  const box = (node: ElkNode, title: string): DiagramBox => ({
    id: node.id,
    title,
    x: round(node.x),
    y: round(node.y),
    width: round(node.width),
    height: round(node.height),
  });
  stepSources(roadmap).forEach((source, stepIndex) => {
    const stepNode = root.children?.find((child) => child.id === source.elkId);
    if (!stepNode) return;
    const step = roadmap.steps[stepIndex];
    const diagramStep: DiagramStep = {
      ...box(stepNode, step?.title ?? 'Tools'),
      stepId: step?.id ?? 'tools',
      number: step ? stepIndex + 1 : 0,
      groups: [],
    };
    layout.steps.push(diagramStep);
    source.groups.forEach((group, groupIndex) => {
      const groupNode = stepNode.children?.find((child) => child.id === `group:${stepIndex}:${groupIndex}`);
      if (!groupNode) return;
      const diagramGroup: DiagramGroup = { ...box(groupNode, group.title), nodes: [], edges: [] };
      diagramStep.groups.push(diagramGroup);
      for (const child of groupNode.children ?? []) {
        const tool = child.id.startsWith('tool:');
        const id = tool ? child.id.slice('tool:'.length) : child.id;
        const topic = content.topics.get(id);
        diagramGroup.nodes.push({
          id,
          x: round(child.x),
          y: round(child.y),
          width: round(child.width),
          height: round(child.height),
          lines: wrapTitle(topic?.title ?? id),
          optional: topic?.optional ?? false,
          tool,
        });
      }
      layout.nodes.push(...diagramGroup.nodes);
      for (const edge of groupNode.edges ?? []) {
        const [from = '', to = ''] = String(edge.id).split('>');
        diagramGroup.edges.push({ from, to, points: edgePoints(edge) });
      }
    });
  });
  return alignSteps(layout);
}

/**
 * ELK centres the stacked steps on each other; a roadmap reads better with every step starting at the
 * left edge (each step is drawn as its own picture, at its own width). This moves each step, with
 * everything in it, to the left margin: a translation, no positions are invented.
 */
function alignSteps(layout: DiagramLayout): DiagramLayout {
  const margin = 12;
  for (const step of layout.steps) {
    const dx = margin - step.x;
    step.x = margin;
    for (const group of step.groups) {
      group.x = round(group.x + dx);
      for (const node of group.nodes) node.x = round(node.x + dx);
      for (const edge of group.edges) edge.points = edge.points.map(([x, y]) => [round(x + dx), y]);
    }
  }
  layout.width = Math.ceil(Math.max(0, ...layout.steps.map((step) => step.width)) + 2 * margin);
  return layout;
}

let cacheVersion = '';
const cache = new Map<string, Promise<DiagramLayout>>();

/**
 * Layouts are also kept on disk beside the built assets, keyed by the content version and this file's
 * own code, so a restart (or `npm start` after `npm run build`) does not run ELK again: laying out a
 * roadmap costs seconds of CPU, reading it back a few milliseconds.
 */
const DISK_CACHE_DIR = fileURLToPath(new URL('../../../dist/layouts/', import.meta.url));
let codeVersion: string | null = null;

function diskCacheFile(content: Content, roadmap: Roadmap): string {
  codeVersion ??= createHash('sha256')
    .update(readFileSync(fileURLToPath(import.meta.url)))
    .digest('hex')
    .slice(0, 16);
  const key = createHash('sha256').update(`${content.version}\0${roadmap.id}\0${codeVersion}`).digest('hex');
  return join(DISK_CACHE_DIR, `${roadmap.id}-${key.slice(0, 24)}.json`);
}

async function layoutWithDiskCache(content: Content, roadmap: Roadmap): Promise<DiagramLayout> {
  const file = diskCacheFile(content, roadmap);
  try {
    return JSON.parse(await readFile(file, 'utf8')) as DiagramLayout;
  } catch {
    // Not cached yet (or unreadable): lay it out and try to keep it.
  }
  const layout = await layoutDiagram(content, roadmap);
  try {
    await mkdir(DISK_CACHE_DIR, { recursive: true });
    await writeFile(`${file}.${process.pid}.tmp`, JSON.stringify(layout));
    await rename(`${file}.${process.pid}.tmp`, file);
  } catch {
    // A read-only installation simply lays out again at the next start.
  }
  return layout;
}

/**
 * The diagram of a roadmap, laid out once per content version and then served from memory.
 *
 * @example const layout = await diagramFor(app.content(), roadmap);
 */
export function diagramFor(content: Content, roadmap: Roadmap): Promise<DiagramLayout> {
  if (content.version !== cacheVersion) {
    cache.clear();
    cacheVersion = content.version;
  }
  let layout = cache.get(roadmap.id);
  if (!layout) {
    layout = layoutWithDiskCache(content, roadmap);
    cache.set(roadmap.id, layout);
    layout.catch(() => cache.delete(roadmap.id));
  }
  return layout;
}

/** Lays out every roadmap of the content ahead of the first request. */
export async function warmDiagrams(content: Content): Promise<void> {
  for (const roadmap of content.roadmapList) await diagramFor(content, roadmap);
}
