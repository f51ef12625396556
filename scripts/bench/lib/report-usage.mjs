// Preloaded into a measured CLI run (node --import): at exit, writes the process's own resource usage
// (peak RSS in KiB, CPU microseconds) to the file POSTURE_USAGE_FILE names.
import { writeFileSync } from 'node:fs';

const file = process.env.POSTURE_USAGE_FILE;
if (file) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    writeFileSync(file, JSON.stringify({ maxRssKiB: u.maxRSS, userUs: u.userCPUTime, systemUs: u.systemCPUTime }));
  });
}
