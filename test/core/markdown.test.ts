import { describe, expect, it } from '@jest/globals';
import type { Finding, NotChecked, Report } from '../../packages/core/src/findings';
import {
  COMMENT_LIMIT,
  SUMMARY_LIMIT,
  codeSpan,
  escapeMarkdown,
  renderMarkdown
} from '../../packages/core/src/markdown';
import { summaryMarkdown } from '../../packages/core/src/report';
import type { Severity } from '../../packages/core/src/severity';
import { elements, linkableText, mentions, renderGfm, visibleText } from '../helpers/gfm';
import { finding, report, rule } from './helpers';

const SEVS: Severity[] = ['critical', 'high', 'medium', 'low', 'info'];
const ROW = /^\| (🟥|🟧|🟨|🟦|⬜) /u;

/** Splits a GFM table row into cells the way GFM does: `\x` is one escaped unit, `|` separates. */
function cells(row: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < row.length; i++) {
    if (row[i] === '\\' && i + 1 < row.length) {
      cur += row[i] + row[i + 1];
      i++;
    } else if (row[i] === '|') {
      out.push(cur);
      cur = '';
    } else cur += row[i];
  }
  out.push(cur);
  return out;
}

/** A row is whole when it has exactly the 4 cells between its outer pipes. */
function expectWholeRow(row: string): void {
  const c = cells(row);
  expect([row, c.length]).toEqual([row, 6]);
  expect(c[0]).toBe('');
  expect(c[5]).toBe('');
}

/** Parses the code span at the start of `s` (CommonMark rules); returns its content or throws. */
function codeSpanContent(s: string): string {
  const open = /^`+/.exec(s)?.[0];
  if (!open) throw new Error(`no code span in ${s}`);
  const n = open.length;
  // The span closes at the first backtick run of exactly n.
  const re = /`+/g;
  re.lastIndex = n;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    if (m[0].length === n) {
      let content = s.slice(n, m.index);
      if (content.startsWith(' ') && content.endsWith(' ') && content.trim()) content = content.slice(1, -1);
      if (m.index + n !== s.length) throw new Error(`code span closed early: ${s}`);
      return content;
    }
  }
  throw new Error(`unclosed code span: ${s}`);
}

function manyFindings(n: number, message: (i: number) => string, evidence: (i: number) => string): Finding[] {
  const rules = SEVS.map((s) => rule(`family/rule-${s}`, s));
  return Array.from({ length: n }, (_, i) =>
    finding(rules[i % rules.length], {
      location: { file: `src/pkg/module_${i}.py`, line: i + 1 },
      message: message(i),
      evidence: evidence(i)
    })
  );
}

describe('renderMarkdown: size limit', () => {
  const N = 2000;
  const findings = manyFindings(
    N,
    (i) => `Finding number ${i}: ${'a long explanation of what was found here '.repeat(4)}`,
    (i) => `evidence ${i} ${'x'.repeat(100)}`
  );
  const big = report({ findings });
  const FULL = 'https://github.com/o/r/actions/runs/123456789';

  it('stays within the comment limit and points to the full report', () => {
    const md = renderMarkdown(big, { maxChars: COMMENT_LIMIT, fullReport: FULL });
    expect(md.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(md).toContain(FULL);
  });

  it('every shown row is whole, and shown + omitted = all active findings', () => {
    const md = renderMarkdown(big, { maxChars: COMMENT_LIMIT, fullReport: FULL });
    const rows = md.split('\n').filter((l) => ROW.test(l));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThan(N);
    for (const r of rows) expectWholeRow(r);
    const omitted = Number(/> (\d+) more findings? not shown here/.exec(md)?.[1]);
    expect(rows.length + omitted).toBe(N);
  });

  it('details that fit are whole; the rest are counted', () => {
    const small = report({ findings: findings.slice(0, 60) });
    const md = renderMarkdown(small, { maxChars: 30000, fullReport: FULL });
    expect(md.length).toBeLessThanOrEqual(30000);
    const rows = md.split('\n').filter((l) => ROW.test(l));
    expect(rows).toHaveLength(60);
    const opened = md.match(/<details>/g)?.length ?? 0;
    expect(md.match(/<\/details>/g)?.length ?? 0).toBe(opened);
    const omitted = Number(/> Details of (\d+) findings? not shown/.exec(md)?.[1]);
    expect(opened + omitted).toBe(60);
  });

  it('a small report is rendered whole with no pointer', () => {
    const md = renderMarkdown(report({ findings: findings.slice(0, 3) }), { fullReport: FULL });
    expect(md).not.toContain(FULL);
    expect(md.match(/<details>/g)).toHaveLength(3);
    expect(md).toContain('3 findings');
  });

  it('holds the limit even with a long report pointer and a huge not-checked / suppressed tail', () => {
    const longPointer = `the JSON report (/home/runner/work/_temp/${'deep/'.repeat(30)}verify-deps-report.json)`;
    const notChecked: NotChecked[] = Array.from({ length: 800 }, (_, i) => ({
      check: 'access/two-factor',
      target: `org/repo-${i}`,
      reason: `needs admin:org to read the member list of repository number ${i}`
    }));
    const suppressed = findings.slice(0, 600).map((f) => ({
      ...f,
      suppression: {
        kind: 'external' as const,
        reason: 'vendored code, reviewed upstream by maintainers',
        source: 'x:1'
      }
    }));
    const r = report({ findings: [...suppressed, ...findings.slice(600)], notChecked });
    for (const max of [COMMENT_LIMIT, 20000]) {
      const md = renderMarkdown(r, { maxChars: max, fullReport: longPointer });
      expect(md.length).toBeLessThanOrEqual(max);
      expect(md).toContain(longPointer);
      // Active findings still get table rows despite the long tail.
      const rows = md.split('\n').filter((l) => ROW.test(l));
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) expectWholeRow(row);
      // Every list line that is shown is whole.
      for (const l of md.split('\n').filter((x) => x.startsWith('- `')))
        expect(l).toMatch(/(repository number \d+|reviewed upstream by maintainers)$/);
      expect(md.match(/<\/details>/g)?.length ?? 0).toBe(md.match(/<details>/g)?.length ?? 0);
    }
  });
});

describe('renderMarkdown: escaping, as GitHub renders it', () => {
  const r = rule('family/evil', 'high');
  const render = (f: Partial<Parameters<typeof finding>[1]>, extra: Partial<Report> = {}) =>
    renderMarkdown(
      report({ rules: [r], findings: [finding(r, { location: { file: 'src/a.py', line: 3 }, ...f })], ...extra })
    );
  const tableCells = (html: string) => [...html.matchAll(/<td>([\s\S]*?)<\/td>/g)].map((m) => m[1]);

  it('@user and #123 neither mention nor link, anywhere in the body, and still read as written', () => {
    const md = render(
      { message: 'ping @octocat and @scientific-python/core about #12', evidence: '@evil-user' },
      {
        notChecked: [{ check: 'x', reason: 'ask @admin', target: '@org' }],
        notes: ['cc @someone, see #7'],
        errors: ['@boss: broken']
      }
    );
    const html = renderGfm(md);
    expect(linkableText(html).filter(mentions)).toEqual([]);
    const seen = visibleText(html);
    for (const t of ['@octocat', '@scientific-python/core', '#12', '@admin', '@org', '@someone', '#7', '@boss'])
      expect(seen).toContain(t);
  });

  it('copying a pinned action from the comment gives exactly its text: nothing invisible is inserted', () => {
    const t = rule('actions/unpinned', 'high', { title: 'Action `actions/checkout@v4` is not pinned to a commit' });
    const md = renderMarkdown(
      report({
        rules: [t],
        findings: [
          finding(t, {
            message: 'uses `actions/checkout@v4`; pin `actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683`',
            evidence: 'uses: actions/checkout@v4',
            location: { file: '.github/workflows/ci.yml', line: 12 }
          })
        ]
      })
    );
    const html = renderGfm(md);
    const code = elements(html, 'code');
    expect(code).toContain('actions/checkout@v4');
    expect(code).toContain('actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683');
    expect(code).toContain('uses: actions/checkout@v4');
    expect(visibleText(html)).not.toMatch(/[\u200b-\u200f\u2060\ufeff]/);
    expect(md).not.toMatch(/[\u200b-\u200f\u2060\ufeff]/);
  });

  it('code spans in titles, messages, fixes and reasons render as code, not as literal backticks', () => {
    const t = rule('family/code', 'high', {
      title: 'Workflow runs on `pull_request_target`',
      remediation: 'Use `pull_request` and keep `persist-credentials: false`.'
    });
    const md = renderMarkdown(
      report({
        rules: [t],
        findings: [finding(t, { message: 'the `on:` key lists `pull_request_target`' })],
        notChecked: [{ check: 'c', reason: 'needs `admin:org`' }],
        notes: ['set `expires:` on ignores']
      })
    );
    const html = renderGfm(md);
    expect(visibleText(html)).not.toContain('`');
    const code = elements(html, 'code');
    for (const c of [
      'pull_request_target',
      'on:',
      'pull_request',
      'persist-credentials: false',
      'admin:org',
      'expires:'
    ])
      expect(code).toContain(c);
    // In the table row and in the <summary> of the details alike.
    expect(tableCells(html)[3]).toContain('<code>pull_request_target</code>');
    expect(elements(html, 'summary')[0]).toContain('pull_request_target');
    expect(html).toMatch(/<summary>[^\n]*<b>Workflow runs on <code>pull_request_target<\/code><\/b>/);
  });

  it('HTML entities cannot smuggle a mention or a bidi control', () => {
    const md = render({ message: 'hi &#64;octocat &#x202E;txt.exe &commat;b' });
    const html = renderGfm(md);
    expect(linkableText(html).filter(mentions)).toEqual([]);
    expect(visibleText(html)).toContain('&#64;octocat');
    expect(visibleText(html)).not.toContain('\u202e');
    expect(visibleText(renderGfm(escapeMarkdown('&#64;x'))).trim()).toBe('&#64;x');
  });

  it('<script> and other HTML are inert outside code spans', () => {
    const payload = '<script>alert(1)</script><img src=x onerror=alert(2)>';
    const md = render(
      { message: payload },
      { notChecked: [{ check: 'c', reason: payload, target: payload }], notes: [payload], errors: [payload] }
    );
    const html = renderGfm(md);
    expect(html).not.toMatch(/<(script|img)/i);
    expect(visibleText(html)).toContain(payload);
  });

  it('a rule title with HTML or Markdown is inert inside the <summary> HTML', () => {
    const t = rule('family/title', 'high', { title: 'Uses <img src=x> and a_b' });
    const html = renderGfm(renderMarkdown(report({ rules: [t], findings: [finding(t, {})] })));
    expect(html).not.toMatch(/<img/i);
    expect(elements(html, 'summary')[0]).toContain('Uses <img src=x> and a_b');
  });

  it('| cannot break the table, and newlines cannot end the row', () => {
    const html = renderGfm(render({ message: 'a | b || c \\| d\nnew line | e' }));
    expect(html.match(/<tr>/g)).toHaveLength(2);
    const cells = tableCells(html);
    expect(cells).toHaveLength(4);
    expect(visibleText(cells[3])).toContain('a | b || c \\| d new line | e');
  });

  it('a file name with | and backticks stays in its cell and reads as written', () => {
    const html = renderGfm(render({ location: { file: 'a|b`c``.py', line: 2 } }));
    const cells = tableCells(html);
    expect(cells).toHaveLength(4);
    expect(elements(cells[2], 'code')).toEqual(['a|b`c``.py:2']);
  });

  it.each(['plain', 'one ` tick', 'a ``` b `` c ` d', '`starts and ends`', '````', 'with | a pipe'])(
    'evidence %j is shown whole in its code span',
    (ev) => {
      const html = renderGfm(render({ evidence: ev }));
      const evidence = /<p>Evidence: <code>([\s\S]*?)<\/code><\/p>/.exec(html)?.[1];
      expect(visibleText(evidence ?? '')).toBe(ev);
    }
  );

  it('bidi and invisible characters are shown as escapes', () => {
    const hidden = 'admin\u202Etxt.exe zero\u200Bwidth tag\u{E0041}\u{E0042} lrm\u200E bom\uFEFF';
    const html = renderGfm(render({ message: hidden, evidence: hidden }));
    for (const c of ['\u202E', '\u200B', '\u{E0041}', '\u{E0042}', '\u200E', '\uFEFF']) expect(html).not.toContain(c);
    const text = visibleText(html);
    for (const esc of ['\\u{202e}', '\\u{200b}', '\\u{e0041}', '\\u{e0042}', '\\u{200e}', '\\u{feff}'])
      expect(text).toContain(esc);
  });

  it('codeSpan shortens long evidence to the limit', () => {
    const s = codeSpan('y'.repeat(500), { max: 50 });
    const content = codeSpanContent(s);
    expect(content.length).toBeLessThanOrEqual(50);
    expect(content.endsWith('…')).toBe(true);
  });
});

describe('renderMarkdown: locations link to the file and line at the scanned commit', () => {
  const r = rule('family/link', 'high');
  const sha = '0123456789abcdef0123456789abcdef01234567';
  const revision = { server: 'https://github.com', repository: 'sp/project', commit: sha };
  const findings = [
    finding(r, { location: { file: 'src/a b(1).py', line: 3 }, message: 'here' }),
    finding(r, { location: { file: '.github/workflows/x.yml', line: 4 }, message: 'range' }),
    finding(r, {
      location: { file: '.github/workflows/publish.yml', line: 9 },
      message: 'elsewhere',
      properties: { org: 'sp', repo: 'numpy' }
    })
  ];
  findings[1] = { ...findings[1], location: { ...findings[1].location!, endLine: 6 } };

  it('with the repository and commit known, the table and the details link there', () => {
    const html = renderGfm(renderMarkdown(report({ rules: [r], findings, revision })));
    const links = [...html.matchAll(/<a href="([^"]+)">/g)].map((m) => m[1].replace(/&amp;/g, '&'));
    const file = `https://github.com/sp/project/blob/${sha}/src/a%20b%281%29.py#L3`;
    const range = `https://github.com/sp/project/blob/${sha}/.github/workflows/x.yml#L4-L6`;
    expect(links.filter((l) => l === file)).toHaveLength(2); // table row and <summary>
    expect(links.filter((l) => l === range)).toHaveLength(2);
    expect(html).toContain(`<a href="${file}"><code>src/a b(1).py:3</code></a>`);
    // A file of another repository is not linked into this one.
    expect(links.some((l) => l.includes('publish.yml'))).toBe(false);
    expect(elements(html, 'code')).toContain('.github/workflows/publish.yml:9');
  });

  it('without them, locations are plain text', () => {
    const html = renderGfm(renderMarkdown(report({ rules: [r], findings })));
    expect(html).not.toContain('<a ');
    expect(elements(html, 'code')).toContain('src/a b(1).py:3');
  });
});

describe('renderMarkdown: sections', () => {
  it('the not-checked section lists every check and says they are not passes', () => {
    const notChecked: NotChecked[] = [
      { check: 'deps/provenance', reason: 'PyPI unreachable', target: 'numpy' },
      { check: 'access/two-factor', reason: 'needs admin:org' }
    ];
    const md = renderMarkdown(report({ notChecked }));
    expect(md).toMatch(/not passes/i);
    expect(md).toContain('2 not checked');
    for (const n of notChecked) {
      const line = md.split('\n').find((l) => l.includes(n.check))!;
      expect(line).toContain(n.reason.replace(/:/g, ':'));
      if (n.target) expect(line).toContain(n.target);
    }
  });

  it('the headline counts active findings by severity and suppressed ones apart', () => {
    const r = rule('a/b', 'high');
    const fs = [
      finding(r, { message: '1' }),
      finding(r, { message: '2', severity: 'low' }),
      { ...finding(r, { message: '3' }), suppression: { kind: 'inSource' as const, reason: 'fine here' } }
    ];
    const md = renderMarkdown(report({ name: 'verify-deps', findings: fs }));
    expect(md.split('\n')[0]).toBe('## verify-deps: 2 findings (1 high, 1 low); 1 suppressed');
    expect(renderMarkdown(report()).split('\n')[0]).toBe('## verify-deps: no findings');
  });

  it('a marker and a preamble are placed at the top', () => {
    const md = renderMarkdown(report(), { marker: 'security-actions:verify-deps', preamble: 'Risk score: 3' });
    expect(md.startsWith('<!-- security-actions:verify-deps -->\n')).toBe(true);
    expect(md).toContain('Risk score: 3');
  });
});

describe('summaryMarkdown: 1 MiB in bytes', () => {
  it('multi-byte (CJK) text is cut by bytes, not characters', () => {
    const cjk = '依存関係の検証に失敗しました漢字';
    const r = rule('deps/cjk', 'high', { why: cjk.repeat(20), remediation: cjk.repeat(20) });
    const findings = Array.from({ length: 3000 }, (_, i) =>
      finding(r, {
        location: { file: `パッケージ/${i}.txt`, line: 1 },
        message: `${i} ${cjk.repeat(10)}`,
        evidence: cjk.repeat(10)
      })
    );
    const md = summaryMarkdown(report({ rules: [r], findings }), {
      fullReport: 'the JSON report (/tmp/r.json)',
      footer: '\n> footer line\n'
    });
    expect(Buffer.byteLength(md, 'utf8')).toBeLessThanOrEqual(SUMMARY_LIMIT);
    // It is big (the limit is used, not a tiny fallback) and says that it was shortened.
    expect(Buffer.byteLength(md, 'utf8')).toBeGreaterThan(SUMMARY_LIMIT / 4);
    expect(md).toContain('the JSON report (/tmp/r.json)');
    expect(md.endsWith('\n> footer line\n')).toBe(true);
  });

  it('a small report is returned whole', () => {
    const r = rule('a/b', 'low');
    const md = summaryMarkdown(report({ findings: [finding(r, { message: '漢字 message' })] }));
    expect(md).toContain('漢字 message');
    expect(md).not.toContain('not shown here');
  });
});
