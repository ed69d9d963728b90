// Markdown rendered as GitHub renders it (CommonMark with GFM tables and raw
// HTML, through markdown-it), and what a reader then sees, copies, and what
// GitHub's @-mention and #-reference filters read.
import MarkdownIt from 'markdown-it';

const md = new MarkdownIt({ html: true });

export const renderGfm = (markdown: string): string => md.render(markdown);

const decode = (s: string) =>
  s
    .replace(/&#(\d+);/g, (_m, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_m, n: string) => String.fromCodePoint(parseInt(n, 16)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** The text of the rendered page, as selected and copied: comments and tags dropped, entities decoded. */
export function visibleText(html: string): string {
  return decode(html.replace(/<!--[\s\S]*?-->/g, '').replace(/<[^>]+>/g, ''));
}

/** The contents of every element `tag` in the rendered HTML, as text. */
export function elements(html: string, tag: string): string[] {
  return [...html.matchAll(new RegExp(`<${tag}(?: [^>]*)?>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) => visibleText(m[1]));
}

/**
 * The text nodes GitHub's mention and issue-reference filters look at: those
 * outside code, pre and links, each on its own (a tag or a comment ends one).
 */
export function linkableText(html: string): string[] {
  return html
    .replace(/<(code|pre|a)\b[^>]*>[\s\S]*?<\/\1>/g, '<x>')
    .split(/<!--[\s\S]*?-->|<[^>]+>/)
    .map(decode)
    .filter((t) => t.trim());
}

/** Would GitHub mention someone or link an issue in this text node? */
export const mentions = (text: string): boolean => /(^|[^\w`])@[A-Za-z0-9]|(^|\W)#\d/.test(text);
