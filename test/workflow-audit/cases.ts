// Reading the cases of test/workflow-audit/ (see README.md): their files, and
// the expectations marked on their lines.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { WorkflowSource } from '@security-actions/core/workflow';

/** Every YAML file under a case (a file or a folder), as sources with paths relative to the case. */
export function sourcesOf(path: string): WorkflowSource[] {
  if (!statSync(path).isDirectory())
    return [{ path: relative(join(path, '..'), path), text: readFileSync(path, 'utf8') }];
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : [join(dir, n)]));
  return walk(path)
    .filter((p) => /\.ya?ml$/.test(p))
    .map((p) => ({ path: relative(path, p).split('\\').join('/'), text: readFileSync(p, 'utf8') }));
}

export interface Marker {
  rule: string;
  line: number;
  severity?: string;
}

/** The `#!expect rule [severity]` markers of a file, and the lines marked `#!error`. */
export function markersOf(text: string): { expect: Marker[]; errors: number[] } {
  const expect: Marker[] = [];
  const errors: number[] = [];
  text.split('\n').forEach((l, i) => {
    for (const m of l.matchAll(/#!expect\s+([a-z0-9/-]+)(?:\s+(info|low|medium|high|critical))?/g))
      expect.push({ rule: m[1], line: i + 1, severity: m[2] });
    if (/#!error\b/.test(l)) errors.push(i + 1);
  });
  return { expect, errors };
}
