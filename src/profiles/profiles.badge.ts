import { createHash } from 'node:crypto';
import type { PublicRoadmap } from './profiles.public.js';

// The README badge of a public profile: "Waymark | Backend 42% · 3 verified". It paints its own
// background (dark label, indigo value, white text: contrast above 7:1) with a thin border, so it
// reads the same on light and dark READMEs. Every piece of text is XML-escaped.

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/** Text safe inside SVG/XML elements and attributes. */
export function xmlEscape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** Rough width of a string in 11px Verdana-like text (wide enough for capitals and digits). */
function textWidth(text: string): number {
  return Math.ceil([...text].length * 7 + 10);
}

export interface BadgeInput {
  roadmap: PublicRoadmap | null;
  verified: number;
}

/** The badge's value text, e.g. "Backend 42% · 3 verified". */
export function badgeValue({ roadmap, verified }: BadgeInput): string {
  const progress = roadmap ? `${roadmap.title} ${roadmap.percent}%` : 'just started';
  return verified > 0 ? `${progress} · ${verified} verified` : progress;
}

/** The SVG document of the badge. */
export function renderBadge(input: BadgeInput): string {
  const label = 'Waymark';
  const value = badgeValue(input);
  const left = textWidth(label);
  const right = textWidth(value);
  const width = left + right;
  const title = xmlEscape(`${label}: ${value}`);
  const text = (x: number, content: string) =>
    `<text x="${x}" y="14" fill="#ffffff" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11">${xmlEscape(content)}</text>`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="20" viewBox="0 0 ${width} 20" role="img" aria-label="${title}">`,
    `<title>${title}</title>`,
    `<rect width="${width}" height="20" rx="3" fill="#1f2937"/>`,
    `<rect x="${left}" width="${right}" height="20" fill="#3730a3"/>`,
    `<rect x="0.5" y="0.5" width="${width - 1}" height="19" rx="2.5" fill="none" stroke="#9ca3af" stroke-opacity="0.6"/>`,
    text(5, label),
    text(left + 5, value),
    `</svg>`,
  ].join('');
}

/** A strong validator of the badge's bytes. */
export function badgeEtag(svg: string): string {
  return `"${createHash('sha256').update(svg).digest('base64url').slice(0, 27)}"`;
}
