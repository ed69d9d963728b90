// Loaded with `node --import` into a measured process: at exit, append its
// peak resident set size (KiB) to the file named by BENCH_RSS_FILE.
import { appendFileSync } from 'node:fs';

process.on('exit', () => {
  if (process.env.BENCH_RSS_FILE) appendFileSync(process.env.BENCH_RSS_FILE, `${process.resourceUsage().maxRSS}\n`);
});
