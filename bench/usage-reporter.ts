// Preloaded with --require into a measured node process: at exit, writes its peak RSS (KiB) and the CPU time
// (user + system, ms) of the whole process as JSON to $BENCH_USAGE_FILE.
import { writeFileSync } from 'node:fs';

process.on('exit', () => {
  const file = process.env.BENCH_USAGE_FILE;
  if (!file) return;
  const { user, system } = process.cpuUsage();
  writeFileSync(
    file,
    JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS, cpuMs: (user + system) / 1000 }),
  );
});
