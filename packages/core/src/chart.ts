// Charts GitHub renders in issues, comments and job summaries without an image
// to host: a Mermaid `xychart-beta` block. Labels are quoted (quotes and
// brackets dropped) so a repository name or date can never break the block.

export interface XySeries {
  kind: 'bar' | 'line';
  values: number[];
}

export interface XyChart {
  title: string;
  /** One label per value of each series. */
  x: string[];
  yLabel: string;
  series: XySeries[];
}

const label = (s: string) => `"${s.replace(/["[\]\r\n`]/g, '').slice(0, 40)}"`;

/** A fenced Mermaid block; empty when there is nothing to plot. */
export function xyChart(c: XyChart): string {
  if (!c.x.length || !c.series.length) return '';
  const max = Math.max(1, ...c.series.flatMap((s) => s.values));
  return [
    '```mermaid',
    'xychart-beta',
    `  title ${label(c.title)}`,
    `  x-axis [${c.x.map(label).join(', ')}]`,
    `  y-axis ${label(c.yLabel)} 0 --> ${max}`,
    ...c.series.map((s) => `  ${s.kind} [${s.values.join(', ')}]`),
    '```'
  ].join('\n');
}
