// Small statistics helpers shared by the benchmarks.
export function summarise(samples) {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  return { n: s.length, min: s[0], median: at(0.5), p95: at(0.95), max: s[s.length - 1] };
}

export const fmt = (ms) => `${ms.toFixed(0)} ms`;
export const mib = (kib) => `${(kib / 1024).toFixed(1)} MiB`;
