import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { JSX } from 'preact';
import type { FormState } from './components/forms.js';
import type { PageUser } from './page-context.js';

// Other features add a section to the settings page (profiles: "Public profile") without the web
// feature importing them: they list it as `settingsSections` in their manifest (src/features.ts).

export interface SettingsSectionContext {
  app: FastifyInstance;
  request: FastifyRequest;
  /** Null for a first-time visitor with no session. */
  user: PageUser | null;
  /** The section's form messages after a no-JavaScript post that failed (empty otherwise). */
  form: FormState | null;
}

export interface SettingsSection {
  /** Unique across the page: the section's anchor (`/settings#id`) and its form's key. */
  id: string;
  /** Its entry in the page's section list. */
  label: string;
  /** Sections come after the page's own "Your data" section, by `order` (default 100). */
  order?: number;
  /** The `<section>` (or null to leave it out for this visitor). */
  render(context: SettingsSectionContext): JSX.Element | null | Promise<JSX.Element | null>;
}

export interface RenderedSection {
  id: string;
  label: string;
  node: JSX.Element;
}

/** Renders every feature section shown to this visitor, in order. */
export async function renderSettingsSections(
  sections: readonly SettingsSection[],
  context: Omit<SettingsSectionContext, 'form'>,
  forms: Readonly<Record<string, FormState | undefined>>,
): Promise<RenderedSection[]> {
  const ordered = [...sections].sort(
    (a, b) => (a.order ?? 100) - (b.order ?? 100) || a.id.localeCompare(b.id),
  );
  const rendered = await Promise.all(
    ordered.map(async (section) => {
      const node = await section.render({ ...context, form: forms[section.id] ?? null });
      return node ? { id: section.id, label: section.label, node } : null;
    }),
  );
  return rendered.filter((section): section is RenderedSection => section !== null);
}

/** The page's own section list with the features' sections placed after "Your data". */
export function afterData<T extends { id: string }>(
  own: readonly T[],
  sections: readonly RenderedSection[],
): Array<T | RenderedSection> {
  const at = own.findIndex((section) => section.id === 'data') + 1;
  return [...own.slice(0, at), ...sections, ...own.slice(at)];
}
