// Loaded with `node --import` into a measured process: at exit, append its
// CPU time (user + system, all threads, ms) to the file named by BENCH_CPU_FILE.
// Wall time on a shared machine depends on other load; CPU time much less.
import { appendFileSync } from 'node:fs';

process.on('exit', () => {
  const u = process.resourceUsage();
  if (process.env.BENCH_CPU_FILE)
    appendFileSync(process.env.BENCH_CPU_FILE, `${Math.round((u.userCPUTime + u.systemCPUTime) / 1000)}\n`);
});
