import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  findRawHtml,
  isSafeLink,
  markdownToPlainText,
  renderMarkdown,
  summarizeMarkdown,
} from '../../src/content/markdown.js';

const ALLOWED_TAGS = new Set([
  'p',
  'a',
  'em',
  'strong',
  'code',
  'pre',
  'ul',
  'ol',
  'li',
  'blockquote',
  'hr',
  'br',
  'img',
  's',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
]);
const ALLOWED_ATTRIBUTES = new Set(['href', 'src', 'alt', 'title', 'rel', 'start', 'class', 'style']);

/**
 * Every tag and attribute the renderer produced. markdown-it escapes every "<" of the text, so a
 * literal "<" in the output always opens a real tag: this sees what a browser would build.
 */
function tagsIn(html: string): { tag: string; attributes: [string, string][] }[] {
  return [...html.matchAll(/<\/?([a-zA-Z0-9]+)([^>]*)>/g)].map((match) => ({
    tag: (match[1] ?? '').toLowerCase(),
    attributes: [...(match[2] ?? '').matchAll(/([^\s=]+)(?:="([^"]*)")?/g)].map(
      (attribute): [string, string] => [(attribute[1] ?? '').toLowerCase(), attribute[2] ?? ''],
    ),
  }));
}

function decodeAttribute(value: string): string {
  return value
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function assertSafe(html: string, input: string): void {
  for (const { tag, attributes } of tagsIn(html)) {
    assert.ok(ALLOWED_TAGS.has(tag), `<${tag}> rendered from ${JSON.stringify(input)}: ${html}`);
    for (const [name, value] of attributes) {
      assert.ok(
        ALLOWED_ATTRIBUTES.has(name),
        `attribute ${name} rendered from ${JSON.stringify(input)}: ${html}`,
      );
      if (name === 'style') assert.match(value, /^text-align:(left|right|center)$/);
      if (name === 'href' || name === 'src') {
        const url = decodeAttribute(value);
        assert.ok(isSafeLink(url), `${name}="${value}" rendered from ${JSON.stringify(input)}`);
        // eslint-disable-next-line no-control-regex -- browsers drop control characters inside a scheme.
        assert.doesNotMatch(url.replace(/[\s\u0000-\u001f]/g, ''), /^(javascript|vbscript|data|file):/i);
      }
    }
  }
}

const NASTY_INPUTS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<svg/onload=alert(1)>',
  '<a href="javascript:alert(1)">click</a>',
  '<iframe src="https://evil.example"></iframe>',
  '<!-- comment --><style>body{display:none}</style>',
  '[click](javascript:alert(1))',
  '[click](JaVaScRiPt:alert(1))',
  '[click]( javascript:alert(1) )',
  '[click](<javascript:alert(1)>)',
  '[click](javascript&#58;alert(1))',
  '[click](&#106;avascript:alert(1))',
  '[click](&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1))',
  '[click](java%73cript:alert(1))',
  '[click](java&#9;script:alert(1))',
  '[click](java&#10;script:alert(1))',
  '[click](vbscript:msgbox(1))',
  '[click](file:///etc/passwd)',
  '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '![pixel](data:image/png;base64,iVBORw0KGgo=)',
  '![x](javascript:alert(1))',
  '<javascript:alert(1)>',
  'javascript:alert(1)',
  '[ref][1]\n\n[1]: javascript:alert(1)',
  '[x](https://example.com "title\\" onmouseover=\\"alert(1)")',
  '[x](https://example.com" onmouseover="alert(1))',
  '[<img src=x onerror=alert(1)>](https://example.com)',
  '![" onerror="alert(1)](https://example.com/a.png)',
  '&lt;script&gt;alert(1)&lt;/script&gt;',
  '&#60;script&#62;alert(1)&#60;/script&#62;',
  '`<script>alert(1)</script>`',
  '```html\n<script>alert(1)</script>\n```',
  '    <script>alert(1)</script>',
  '> <img src=x onerror=alert(1)>',
  '* <b onclick=alert(1)>x</b>',
  '| a |\n| --- |\n| <script>alert(1)</script> |',
  '<div\nonmouseover="alert(1)">hover</div>',
  '<<script>script>alert(1)<</script>/script>',
];

describe('renderMarkdown keeps notes and descriptions safe', () => {
  for (const input of NASTY_INPUTS) {
    it(`neutralises ${JSON.stringify(input)}`, () => {
      assertSafe(renderMarkdown(input), input);
    });
  }

  it('shows raw HTML as text instead of running it', () => {
    assert.equal(
      renderMarkdown('<script>alert(1)</script>'),
      '<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n',
    );
  });

  it('drops the link but keeps its text for a javascript: URL', () => {
    assert.equal(renderMarkdown('[click](javascript:alert(1))'), '<p>[click](javascript:alert(1))</p>\n');
  });

  it('keeps web, mail, relative and anchor links', () => {
    assert.equal(
      renderMarkdown(
        '[docs](https://example.com/a?b=1&c=2) [me](mailto:me@example.com) [home](/roadmaps/backend) [up](#top)',
      ),
      '<p><a href="https://example.com/a?b=1&amp;c=2" rel="noopener noreferrer">docs</a> ' +
        '<a href="mailto:me@example.com">me</a> <a href="/roadmaps/backend">home</a> <a href="#top">up</a></p>\n',
    );
  });

  it('marks external links, including protocol-relative and linkified ones, noopener noreferrer', () => {
    assert.equal(
      renderMarkdown('[a](//cdn.example.com/x) and https://www.example.com/docs'),
      '<p><a href="//cdn.example.com/x" rel="noopener noreferrer">a</a> and ' +
        '<a href="https://www.example.com/docs" rel="noopener noreferrer">https://www.example.com/docs</a></p>\n',
    );
  });

  it('applies typography', () => {
    assert.equal(renderMarkdown('"Quotes" -- and...'), '<p>“Quotes” – and…</p>\n');
  });
});

describe('isSafeLink', () => {
  it('allows http(s), mailto and relative URLs only', () => {
    for (const url of [
      'https://a.example',
      'http://a.example',
      'mailto:x@a.example',
      '/a',
      'a/b',
      '#x',
      '?q=1',
      '//a.example',
    ]) {
      assert.equal(isSafeLink(url), true, url);
    }
    for (const url of [
      'javascript:alert(1)',
      ' JAVASCRIPT:x',
      'java\tscript:x',
      'java%0ascript:x',
      'data:text/html,x',
      'ftp://a.example',
      'tel:123',
    ]) {
      assert.equal(isSafeLink(url), false, url);
    }
  });
});

describe('plain text from Markdown', () => {
  it('keeps the words and drops the markup', () => {
    assert.equal(
      markdownToPlainText(
        '# Title\n\nSome **bold** and [a link](https://x.example) with `code`.\n\n- one\n- two &amp; three',
      ),
      'Title\n\nSome bold and a link with code.\n\none\n\ntwo & three',
    );
  });

  it('summarises the first paragraph, cutting at a word within the limit', () => {
    const long = `# Heading\n\n${'word '.repeat(100)}\n\nSecond paragraph.`;
    const summary = summarizeMarkdown(long, 50);
    assert.equal(summary, `${'word '.repeat(9).trim()}…`);
    assert.ok(summary.length <= 50);
    assert.equal(summarizeMarkdown('Short *and* sweet.\n\nMore.'), 'Short and sweet.');
  });
});

describe('findRawHtml', () => {
  it('finds inline and block HTML with their lines, and ignores code and autolinks', () => {
    assert.deepEqual(
      findRawHtml('Text <https://x.example> and `<b>` and a < b.\n\nSee <em>this</em>\n\n<div>\nx\n</div>'),
      [
        { line: 2, html: '<em>' },
        { line: 2, html: '</em>' },
        { line: 4, html: '<div>\nx\n</div>' },
      ],
    );
  });
});
