/**
 * Live updates: one long poll of GET /api/changes per tab (answered as soon as orders, stock or warnings change),
 * and `useChanges(topics)`, a number that goes up whenever one of those topics changed, for a screen to reload on.
 * The poll runs while some screen listens, and stops when none does.
 */
import { useEffect, useState } from 'react';
import { api, ApiError, query } from './api';

export type LiveTopic = 'orders' | 'stock' | 'warnings';
type Stamps = Record<LiveTopic, string>;

const WAIT_S = 25;
const RETRY_MS = 3000;
const listeners = new Set<(topic: LiveTopic) => void>();
let running = false;

async function poll(): Promise<void> {
  running = true;
  let stamps: Stamps | undefined;
  while (listeners.size > 0) {
    try {
      const now = await api<Stamps>('GET', `/changes${query(stamps ? { ...stamps, wait: WAIT_S } : {})}`);
      if (stamps) {
        const before = stamps;
        for (const topic of Object.keys(now) as LiveTopic[])
          if (now[topic] !== before[topic]) for (const listener of listeners) listener(topic);
      }
      stamps = now;
    } catch (err) {
      // Signed out: the next screen's own call shows it. Otherwise (offline, restarting) try again soon.
      if (err instanceof ApiError && err.status === 401) break;
      await new Promise((resolve) => window.setTimeout(resolve, RETRY_MS));
    }
  }
  running = false;
}

/** Goes up by one each time one of `topics` changes. */
export function useChanges(topics: readonly LiveTopic[]): number {
  const [generation, setGeneration] = useState(0);
  const key = topics.join(',');
  useEffect(() => {
    if (key === '') return;
    const wanted = new Set(key.split(','));
    const listener = (topic: LiveTopic) => {
      if (wanted.has(topic)) setGeneration((g) => g + 1);
    };
    listeners.add(listener);
    if (!running) void poll();
    return () => {
      listeners.delete(listener);
    };
  }, [key]);
  return generation;
}
