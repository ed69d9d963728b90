// One Markdown renderer for the job summary, the PR comment and the dashboard
// issue, so a finding reads the same wherever a maintainer meets it.
import { type Finding, type Report, type Revision, findingRepository, isActive, sortFindings, tally } from './findings';
import { SEVERITIES, type Severity } from './severity';
import { specLabel } from './spec';

/** GitHub rejects comment and issue bodies over 65,536 characters. */
export const COMMENT_LIMIT = 65536;
/** The step summary upload is capped at 1 MiB. */
export const SUMMARY_LIMIT = 1024 * 1024;

const ICON: Record<Severity, string> = {
  critical: '🟥 critical',
  high: '🟧 high',
  medium: '🟨 medium',
  low: '🟦 low',
  info: '⬜ info'
};

/** Invisible and bidi characters shown as escapes, so evidence cannot hide or reorder text. */
// The class lists combining marks (variation selectors, CGJ) on purpose: each is matched alone.
const INVISIBLE =
  // eslint-disable-next-line no-misleading-character-class
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufffb]|[\u{e0000}-\u{e007f}]|[\u{e0100}-\u{e01ef}]/gu;

export function escapeInvisible(s: string): string {
  return s.replace(INVISIBLE, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`);
}

/**
 * GitHub turns `@name` into a mention (a notification) and `#123` into a
 * cross-reference. An empty HTML comment after the `@` or `#` splits the text
 * GitHub's filters read, and a rendered page neither shows nor copies it, so
 * no invisible character ends up in text a reader copies. Inside code spans
 * neither is linked, so code is left as it is.
 */
function defuse(s: string): string {
  return s.replace(/@(?=[A-Za-z0-9])|#(?=\d)/g, '$&<!-- -->');
}

/**
 * Plain text made inert in Markdown: no HTML, no table breaks, no @-mentions or #-links.
 * `&` is escaped too: an entity such as `&#64;` or `&#x202E;` would otherwise
 * decode to the very mention or bidi control escaped above.
 */
export function escapeMarkdown(s: string): string {
  return defuse(
    escapeInvisible(s)
      .replace(/[\\`*_{}[\]<>|&]/g, (c) => `\\${c}`)
      .replace(/\r?\n/g, ' ')
  );
}

/**
 * Text the suite wrote, in which `backticks` mark code (rule titles, messages,
 * remediation): each backtick pair becomes a real code span, the rest is
 * escaped like any text (messages quote names an attacker may choose).
 */
export function markdownText(s: string, opts: { table?: boolean } = {}): string {
  return withCode(s, escapeMarkdown, (code) => codeSpan(code, { max: Infinity, table: opts.table }));
}

/** The same for raw HTML (the `<summary>` line, where Markdown is not parsed): `<code>` elements. */
function htmlText(s: string): string {
  return withCode(s, escapeHtml, (code) => `<code>${escapeInvisible(code).replace(/[&<>"]/g, entity)}</code>`);
}

function withCode(s: string, text: (t: string) => string, code: (c: string) => string): string {
  let out = '';
  let last = 0;
  for (const m of s.matchAll(/`([^`\n]+)`/g)) {
    out += text(s.slice(last, m.index)) + code(m[1]);
    last = m.index + m[0].length;
  }
  return out + text(s.slice(last));
}

const entity = (c: string) => `&#${c.charCodeAt(0)};`;

/**
 * Text in a code span, shortened; backticks can't close the span early. In a
 * table cell `|` is escaped (GFM splits cells before it parses code spans and
 * drops the backslash); anywhere else it is left alone, or it would show.
 */
export function codeSpan(s: string, opts: { max?: number; table?: boolean } = {}): string {
  const max = opts.max ?? 120;
  let t = escapeInvisible(s).replace(/\r?\n/g, '⏎');
  if (t.length > max) t = `${t.slice(0, max - 1)}…`;
  if (opts.table) t = t.replace(/\|/g, '\\|');
  const ticks = '`'.repeat((t.match(/`+/g) ?? []).reduce((m, r) => Math.max(m, r.length), 0) + 1);
  return `${ticks} ${t} ${ticks}`;
}

export function locationText(f: Finding): string {
  const l = f.location;
  if (!l) return '';
  return `${l.file}${l.line ? `:${l.line}` : ''}`;
}

/** The finding's file and line on GitHub at the scanned commit, when the report knows where that is. */
export function locationUrl(f: Finding, revision: Revision | undefined): string | undefined {
  const l = f.location;
  if (!l || !revision) return undefined;
  const other = findingRepository(f);
  if (other && other.toLowerCase() !== revision.repository.toLowerCase()) return undefined;
  // Every character that could end a Markdown link or an HTML attribute is percent-encoded.
  const path = l.file
    .split('/')
    .map((p) => encodeURIComponent(p).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
    .join('/');
  const lines = l.line ? `#L${l.line}${l.endLine && l.endLine > l.line ? `-L${l.endLine}` : ''}` : '';
  return `${revision.server}/${revision.repository}/blob/${revision.commit}/${path}${lines}`;
}

/** The location as a code span, linked to the file when the report knows where it is. */
function whereMarkdown(f: Finding, revision: Revision | undefined, table: boolean): string {
  if (!f.location) return '';
  const text = codeSpan(locationText(f), { max: 80, table });
  const url = locationUrl(f, revision);
  return url ? `[${text}](${url})` : text;
}

export interface MarkdownOptions {
  /** Largest body to produce, in UTF-16 code units (GitHub counts characters). */
  maxChars?: number;
  /** Where the full report is, shown when the body is truncated. */
  fullReport?: string;
  /** A hidden marker (HTML comment) that lets a comment or issue be found and edited in place. */
  marker?: string;
  /** Extra Markdown placed after the headline (a risk score, a trend table). */
  preamble?: string;
}

function headline(report: Report): string {
  const t = tally(report.findings);
  const parts = SEVERITIES.slice()
    .reverse()
    .filter((s) => t.bySeverity[s])
    .map((s) => `${t.bySeverity[s]} ${s}`);
  const what = t.active === 0 ? 'no findings' : `${t.active} finding${t.active === 1 ? '' : 's'} (${parts.join(', ')})`;
  const extra = [
    report.notChecked.length ? `${report.notChecked.length} not checked` : '',
    t.suppressed ? `${t.suppressed} suppressed` : ''
  ].filter(Boolean);
  return `## ${report.name}: ${what}${extra.length ? `; ${extra.join(', ')}` : ''}`;
}

function findingDetails(f: Finding, revision: Revision | undefined): string {
  const url = locationUrl(f, revision);
  const where = f.location ? `<code>${escapeHtml(locationText(f))}</code>` : '';
  const lines = [
    `<details><summary>${ICON[f.severity].split(' ')[0]} <b>${htmlText(f.title)}</b> <code>${escapeHtml(f.ruleId)}</code>${where ? ` at ${url ? `<a href="${url.replace(/[&<>"]/g, entity)}">${where}</a>` : where}` : ''}</summary>`,
    '',
    markdownText(f.message),
    ''
  ];
  if (f.evidence) lines.push(`Evidence: ${codeSpan(f.evidence)}`, '');
  lines.push(`**Why it matters:** ${markdownText(f.why)}`, '', `**How to fix:** ${markdownText(f.remediation)}`, '');
  if (f.spec.length) lines.push(`**SPEC:** ${f.spec.map(specLabel).join('; ')}`, '');
  lines.push(
    `Severity ${f.severity}, confidence ${f.confidence}. Fingerprint \`${f.fingerprint}\`.`,
    '',
    '</details>',
    ''
  );
  return lines.join('\n');
}

/** Text inside raw HTML (the `<summary>` line), where Markdown is not parsed: entities, and mentions defused. */
function escapeHtml(s: string): string {
  return defuse(escapeInvisible(s).replace(/[&<>"]/g, entity));
}

/**
 * Renders a report. Sections are added whole until the budget is reached;
 * what does not fit is counted and pointed to the full report instead.
 */
export function renderMarkdown(report: Report, opts: MarkdownOptions = {}): string {
  const max = opts.maxChars ?? COMMENT_LIMIT;
  const active = sortFindings(report.findings.filter(isActive));
  const head: string[] = [];
  if (opts.marker) head.push(`<!-- ${opts.marker} -->`);
  head.push(headline(report), '');
  if (opts.preamble) head.push(opts.preamble, '');
  if (report.errors.length) {
    head.push('**Errors**', '', ...report.errors.map((e) => `- ⛔ ${markdownText(e)}`), '');
  }

  const table = ['| Severity | Rule | Where | Finding |', '| --- | --- | --- | --- |'];
  const cell = { table: true };
  const details: string[] = [];
  for (const f of active) {
    table.push(
      `| ${ICON[f.severity]} | \`${f.ruleId}\` | ${whereMarkdown(f, report.revision, true)} | ${markdownText(f.title, cell)}: ${markdownText(shorten(f.message, 160), cell)} |`
    );
    details.push(findingDetails(f, report.revision));
  }

  const tail: string[] = [];
  if (report.notChecked.length) {
    tail.push(
      '### Not checked',
      '',
      'These checks could not run, so nothing is known about them; they are not passes.',
      ''
    );
    for (const n of report.notChecked)
      tail.push(`- \`${n.check}\`${n.target ? ` (${escapeMarkdown(n.target)})` : ''}: ${markdownText(n.reason)}`);
    tail.push('');
  }
  const suppressed = report.findings.filter((f) => f.suppression);
  if (suppressed.length) {
    tail.push(
      `<details><summary>${suppressed.length} suppressed finding${suppressed.length === 1 ? '' : 's'}</summary>`,
      ''
    );
    for (const f of suppressed)
      tail.push(
        `- \`${f.ruleId}\` ${whereMarkdown(f, report.revision, false)}: ${escapeMarkdown(f.suppression!.reason)}${f.suppression!.expires ? ` (until ${f.suppression!.expires})` : ''}`
      );
    tail.push('', '</details>', '');
  }
  for (const n of report.notes) tail.push(`> ${markdownText(n)}`, '');
  const stats = Object.entries(report.stats).map(([k, v]) => `${k}: ${v}`);
  if (stats.length)
    tail.push(
      `<sub>${escapeMarkdown(stats.join(' · '))} · ${escapeMarkdown(report.tool.name)} ${escapeMarkdown(report.tool.version)}</sub>`,
      ''
    );

  return assemble(head, active.length ? table : [], details, tail, max, opts.fullReport);
}

function shorten(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

function assemble(
  head: string[],
  table: string[],
  details: string[],
  tail: string[],
  max: number,
  fullReport?: string
): string {
  const pointer = (omitted: number) =>
    `\n> ${omitted} more finding${omitted === 1 ? '' : 's'} not shown here (size limit).${fullReport ? ` Full report: ${fullReport}` : ''}\n`;
  const reserve = 400; // room for the truncation pointer
  let out = head.join('\n') + '\n';
  // The tail (not checked, suppressed, notes) is kept whole when it is small;
  // a huge one (hundreds of not-checked repos) gets at most a quarter of the
  // room, in whole lines, so the active findings still have space.
  const tailText = fitTail(tail, Math.max(0, Math.floor((max - out.length - reserve) / 4)), fullReport);
  // Table rows first (the overview), then details, each row/section whole.
  let shownRows = 0;
  const rows = table.slice(2);
  if (rows.length) {
    out += table.slice(0, 2).join('\n') + '\n';
    for (const r of rows) {
      if (out.length + r.length + 1 + tailText.length + reserve > max) break;
      out += r + '\n';
      shownRows++;
    }
    out += '\n';
  }
  let shownDetails = 0;
  if (shownRows === rows.length && details.length) {
    out += '### Details\n\n';
    for (const d of details) {
      if (out.length + d.length + tailText.length + reserve > max) break;
      out += d;
      shownDetails++;
    }
  }
  const omittedRows = rows.length - shownRows;
  const omittedDetails = details.length - shownDetails;
  if (omittedRows > 0) out += pointer(omittedRows);
  else if (omittedDetails > 0)
    out += `\n> Details of ${omittedDetails} finding${omittedDetails === 1 ? '' : 's'} not shown here (size limit).${fullReport ? ` Full report: ${fullReport}` : ''}\n`;
  out += '\n' + tailText;
  if (out.length > max) {
    // Last resort (a huge head: errors, preamble); the notice counts against the limit too.
    const notice = `\n\n> Truncated (size limit).${fullReport ? ` Full report: ${fullReport}` : ''}\n`;
    let cut = Math.max(0, max - notice.length);
    if (/[\ud800-\udbff]/.test(out.charAt(cut - 1))) cut--; // never split a surrogate pair
    out = out.slice(0, cut) + notice;
  }
  return out;
}

/** The tail lines that fit in `room`, whole, keeping each kept `<details>` closed. */
function fitTail(tail: string[], room: number, fullReport?: string): string {
  const all = tail.join('\n');
  if (all.length <= room) return all;
  const close = '</details>';
  const kept: string[] = [];
  let used = 0;
  let open = 0;
  let omitted = 0;
  let full = false;
  for (const line of tail) {
    if (line === close) {
      if (open > 0) {
        if (full) kept.push(''); // end the cut-short list before closing the block
        kept.push(line);
        used += line.length + 1;
        open--;
      }
      continue;
    }
    if (!full && used + line.length + 1 + open * (close.length + 2) <= room) {
      kept.push(line);
      used += line.length + 1;
      if (line.startsWith('<details>')) open++;
    } else {
      full = true;
      if (line.trim() && !line.startsWith('<details>')) omitted++;
    }
  }
  const note = `> ${omitted} more line${omitted === 1 ? '' : 's'} (not checked, suppressed, notes) not shown here (size limit).${fullReport ? ` Full report: ${fullReport}` : ''}`;
  return [...kept, '', note, ''].join('\n');
}
