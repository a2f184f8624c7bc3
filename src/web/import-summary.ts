// What an import did, in words (shared by the settings form route and its island, so this module
// imports nothing). "Imported 8 progress, 0 review, 0 plan" becomes "Imported progress on 8 topics."

const WORDS: Record<string, [one: string, many: string]> = {
  progress: ['progress on 1 topic', 'progress on # topics'],
  review: ['1 review record', '# review records'],
  plan: ['1 plan', '# plans'],
  alternatives: ['1 choice between alternatives', '# choices between alternatives'],
};

/**
 * @example importSummary({ progress: 8, review: 0, plan: 0 }) // "Imported progress on 8 topics."
 */
export function importSummary(imported: Record<string, number>): string {
  const parts = Object.entries(imported)
    .filter(([, count]) => count > 0)
    .map(([section, count]) => {
      const [one, many] = WORDS[section] ?? [`1 ${section} record`, `# ${section} records`];
      return count === 1 ? one : many.replace('#', String(count));
    });
  if (parts.length === 0) return 'Nothing new to import: everything in that file is already here.';
  const list = parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
  return `Imported ${list}.`;
}

/** Said when the import form is sent with no file chosen and nothing pasted. */
export const IMPORT_NEEDS_FILE =
  'Choose the file you downloaded from “Download my data” (or paste its content) first.';
