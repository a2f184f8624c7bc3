import type { VNode } from 'preact';
import { ICON_PATHS as PATHS } from './icon-paths.js';

// Small line icons (24×24 grid, stroke = currentColor). Always decorative: the text or accessible name
// next to an icon carries the meaning, so they are hidden from assistive technology.

export type IconName = keyof typeof PATHS;

export function Icon({ name, class: className }: { name: IconName; class?: string }): VNode {
  return (
    <svg
      class={className ? `icon ${className}` : 'icon'}
      viewBox="0 0 24 24"
      width="20"
      height="20"
      aria-hidden="true"
      focusable="false"
      fill="none"
      stroke="currentColor"
      stroke-width="2"
      stroke-linecap="round"
      stroke-linejoin="round"
    >
      <path d={PATHS[name]} />
    </svg>
  );
}

/** The path data, for places that draw icons themselves (the diagram's `<symbol>` defs). */
export function iconPath(name: IconName): string {
  return PATHS[name];
}
