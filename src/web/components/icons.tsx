import type { VNode } from 'preact';
import { ICON_PATHS as PATHS } from './icon-paths.js';

// Small line icons (24×24 grid, stroke = currentColor). Always decorative: the text or accessible name
// next to an icon carries the meaning, so they are hidden from assistive technology.

export type IconName = keyof typeof PATHS;

/** `size`: width and height in px; `null` leaves them to the stylesheet (the diagram legend's badges). */
export function Icon({
  name,
  class: className,
  size = 20,
}: {
  name: IconName;
  class?: string;
  size?: number | null;
}): VNode {
  return (
    <svg
      class={className ? `icon ${className}` : 'icon'}
      viewBox="0 0 24 24"
      width={size === null ? undefined : String(size)}
      height={size === null ? undefined : String(size)}
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
