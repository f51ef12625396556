// Preloaded into a measured CLI run (node --import): at exit, writes the process's peak RSS (KiB) and CPU
// time to the file POSTURE_USAGE_FILE names. Peak RSS is /proc/self/status VmHWM, which belongs to the
// address space exec made: getrusage's ru_maxrss would carry over the forking parent's peak (a benchmark
// that has just built a 512 MiB fixture), not the CLI's own.
import { readFileSync, writeFileSync } from 'node:fs';

const file = process.env.POSTURE_USAGE_FILE;
if (file) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    let hwm = null;
    try {
      hwm = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]);
    } catch {
      // not Linux: fall back to getrusage
    }
    writeFileSync(file, JSON.stringify({ maxRssKiB: hwm ?? u.maxRSS, userUs: u.userCPUTime, systemUs: u.systemCPUTime }));
  });
}
