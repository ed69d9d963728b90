// The typosquat check at scale (issue 14: 50,000 requirements took over 60 s at ~2 ms a name):
//   index    building the deletion-neighbourhood index over the shipped targets (once per process)
//   names    50,000 names through findTyposquat: established names, one-typo variants of targets, made-up names
//   engine   verify-deps' typosquat check (offline) over a requirements file of 50,000 lines
// Usage: node bench/typosquat.mjs   (BENCH_NAMES to change the count)
import { writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { load } from './lib/mirrors.mjs';
import { fmt } from './lib/stats.mjs';

const N = Number(process.env.BENCH_NAMES ?? 50000);
const entry = join(import.meta.dirname, '.typosquat-entry.ts');
writeFileSync(
  entry,
  [
    "export * from '../packages/core/src/typosquat';",
    "export { verifyDeps } from '../actions/verify-deps/src/engine';",
    "export { EMPTY_POLICY } from '../actions/verify-deps/src/policy';"
  ].join('\n')
);
const m = await load('bench/.typosquat-entry.ts').finally(() => rmSync(entry));

export async function run() {
  // A deterministic mix: a third real targets, a third one-typo variants of them, a third made-up names.
  let seed = 7;
  const rand = (n) => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n;
  // CPU time (user + system) of each phase: on a shared machine wall time depends on the others' load.
  const cpu = (f) => {
    const c = process.cpuUsage();
    const out = f();
    const d = process.cpuUsage(c);
    return [(d.user + d.system) / 1000, out];
  };
  const [indexMs, index] = cpu(() => m.typosquatIndex());
  const targets = index.targets;
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  const names = Array.from({ length: N }, (_, i) => {
    const t = targets[rand(targets.length)];
    if (i % 3 === 0) return t;
    if (i % 3 === 1) {
      const p = rand(t.length);
      return t.slice(0, p) + letters[rand(26)] + t.slice(p + 1);
    }
    return Array.from({ length: 5 + rand(12) }, () => letters[rand(26)]).join('');
  });

  const [namesMs, hits] = cpu(() => names.filter((n) => m.findTyposquat(n)).length);

  const text = names.map((n, i) => `${n}==1.${i}`).join('\n') + '\n';
  const c2 = process.cpuUsage();
  const r = await m.verifyDeps(
    { python: [{ path: 'requirements.txt', text }], actions: [] },
    { checks: new Set(['typosquats']), offline: true, provenance: 'off', policy: m.EMPTY_POLICY, now: new Date() }
  );
  const d2 = process.cpuUsage(c2);
  const engineMs = (d2.user + d2.system) / 1000;

  const lines = [
    `typosquat index over ${targets.length} targets: built in ${fmt(indexMs)} CPU`,
    `${N} names through findTyposquat: ${fmt(namesMs)} CPU (${((1000 * namesMs) / N).toFixed(1)} µs a name), ${hits} reported`,
    `verify-deps typosquat check, a ${N}-line requirements file: ${fmt(engineMs)} CPU (parsing included), ${r.findings.length} findings`
  ];
  return {
    title: `typosquat check: ${N} names (bench/typosquat.mjs)`,
    lines,
    rows: [
      { phase: 'index build', 'CPU ms': Math.round(indexMs) },
      { phase: `${N} names, findTyposquat`, 'CPU ms': Math.round(namesMs), ok: namesMs < 1000 },
      { phase: `${N}-line requirements file, verify-deps typosquats`, 'CPU ms': Math.round(engineMs) }
    ]
  };
}

if (import.meta.url === `file://${process.argv[1]}`) for (const l of (await run()).lines) console.log(l);
