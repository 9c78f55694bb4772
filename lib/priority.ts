/**
 * Lowers this process's CPU priority (OMS_WORKER_NICE). Linux keeps a priority per thread and a new thread takes its
 * creator's, so every thread running now is lowered (V8's and libuv's helpers start before our code does); threads
 * started later inherit it. Elsewhere `/proc/self/task` is absent and only the calling thread is lowered.
 */
import fs from 'node:fs';
import os from 'node:os';

export function lowerPriority(nice: number): void {
  if (nice <= 0) return;
  let threads: number[] = [0];
  try {
    threads = fs.readdirSync('/proc/self/task').map(Number);
  } catch {
    // not Linux: the calling thread only
  }
  for (const thread of threads) {
    try {
      os.setPriority(thread, nice);
    } catch {
      // a helper thread that ended since the listing
    }
  }
}
