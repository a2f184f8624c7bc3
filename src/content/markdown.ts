import { createRequire } from 'node:module';
import type MarkdownItClass from 'markdown-it';
import type { MarkdownIt as Markdown, Token } from 'markdown-it';

// markdown-it is loaded by the first Markdown rendered, not at start-up: the compiled server takes
// its content from the snapshot, and most pages never render Markdown.
const require = createRequire(import.meta.url);
let MarkdownIt: typeof MarkdownItClass | undefined;
const markdownIt = () => (MarkdownIt ??= require('markdown-it') as typeof MarkdownItClass);

// Topic descriptions and learners' private notes both go through here, so the output must be safe to
// put in a page as is: raw HTML is escaped (html: false) and only web, mail and relative links survive.

const ALLOWED_SCHEMES = new Set(['http:', 'https:', 'mailto:']);

/**
 * Whether a link target may be rendered: http(s), mailto or relative. Browsers ignore control characters
 * and whitespace inside a scheme ("java\tscript:"), so they are removed before the scheme is read, and the
 * percent-decoded form must pass too.
 */
export function isSafeLink(url: string): boolean {
  const forms = [url];
  try {
    forms.push(decodeURIComponent(url));
  } catch {
    // A malformed escape is not a scheme trick: the raw form is checked on its own.
  }
  return forms.every((form) => {
    // eslint-disable-next-line no-control-regex -- control characters are exactly what must go.
    const compact = form.replace(/[\u0000-\u0020\u007f-\u009f]/g, '').toLowerCase();
    const scheme = /^[a-z][a-z0-9+.-]*:/.exec(compact)?.[0];
    return scheme === undefined || ALLOWED_SCHEMES.has(scheme);
  });
}

function createRenderer(): Markdown {
  const md = new (markdownIt())({ html: false, linkify: true, typographer: true });
  const validateLink = md.validateLink.bind(md);
  md.validateLink = (url) => validateLink(url) && isSafeLink(url);
  md.renderer.rules.link_open = (tokens, index, options, _env, renderer) => {
    const token = tokens[index];
    if (token && /^(https?:)?\/\//i.test(String(token.attrGet('href') ?? ''))) {
      token.attrSet('rel', 'noopener noreferrer');
    }
    return renderer.renderToken(tokens, index, options);
  };
  return md;
}

let rendererMade: Markdown | undefined;
const renderer = () => (rendererMade ??= createRenderer());
let htmlFinderMade: Markdown | undefined;
/** Only used to find raw HTML for the linter: with html on, markdown-it marks it as html_* tokens. */
const htmlFinder = () => (htmlFinderMade ??= new (markdownIt())({ html: true }));

/**
 * Renders Markdown to HTML that is safe to embed without further escaping (no raw HTML, no script or
 * data links). Used for topic descriptions and for users' own notes.
 *
 * @example renderMarkdown('See [RFC 9110](https://www.rfc-editor.org/rfc/rfc9110)')
 */
export function renderMarkdown(md: string): string {
  return renderer().render(md);
}

function inlineText(children: Token[] | null): string {
  let text = '';
  for (const child of children ?? []) {
    if (child.type === 'softbreak') text += ' ';
    else if (child.type === 'hardbreak') text += '\n';
    else if (child.type === 'image') text += inlineText(child.children);
    else if (child.type !== 'html_inline') text += child.content;
  }
  return text;
}

/** Plain text of each block (paragraph, heading, list item, code block), in order. */
function plainTextBlocks(md: string): { type: string; text: string }[] {
  const tokens = renderer().parse(md, {});
  const blocks: { type: string; text: string }[] = [];
  tokens.forEach((token, index) => {
    if (token.type === 'inline') {
      blocks.push({ type: tokens[index - 1]?.type ?? '', text: inlineText(token.children) });
    } else if (token.type === 'fence' || token.type === 'code_block') {
      blocks.push({ type: token.type, text: token.content.trimEnd() });
    }
  });
  return blocks;
}

/**
 * The words of a Markdown text without its markup, blocks separated by blank lines: for search, word
 * counts and previews. The result is text, not HTML: escape it when putting it in a page.
 */
export function markdownToPlainText(md: string): string {
  return plainTextBlocks(md)
    .map((block) => block.text)
    .join('\n\n');
}

/** Counts words as a reader would: runs of non-space characters holding at least one letter or digit. */
export function countWords(text: string): number {
  return text.split(/\s+/).filter((word) => /[\p{L}\p{N}]/u.test(word)).length;
}

/** Shortens text to at most `max` characters, cutting between words and marking the cut with "…". */
export function truncateAtWord(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = text.slice(0, max - 1);
  const lastSpace = head.lastIndexOf(' ');
  const cut = lastSpace > max / 2 ? head.slice(0, lastSpace) : head;
  return `${cut.replace(/[\s,;:.\-–—]+$/u, '')}…`;
}

/** The first paragraph as one line of plain text, at most `max` characters: list views and link previews. */
export function summarizeMarkdown(md: string, max = 300): string {
  const first = plainTextBlocks(md).find((block) => block.type === 'paragraph_open');
  return truncateAtWord((first?.text ?? '').replace(/\s+/g, ' ').trim(), max);
}

/**
 * Raw HTML in Markdown with the 0-based line it starts on, so the linter can point at it. Content must
 * stay Markdown-only: the renderer would show such HTML as literal text.
 */
export function findRawHtml(md: string): { line: number; html: string }[] {
  const lines = md.split('\n');
  const found: { line: number; html: string }[] = [];
  for (const token of htmlFinder().parse(md, {})) {
    const [start = 0, end = start + 1] = token.map ?? [];
    if (token.type === 'html_block') found.push({ line: start, html: token.content.trim() });
    for (const child of token.children ?? []) {
      if (child.type !== 'html_inline') continue;
      const offset = lines.slice(start, end).findIndex((line) => line.includes(child.content));
      found.push({ line: start + Math.max(offset, 0), html: child.content });
    }
  }
  return found;
}
