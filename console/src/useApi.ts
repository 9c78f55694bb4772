/**
 * Loads a GET route: its data, error, and reload(). It loads again when `live` topics change (orders, stock,
 * warnings: see live.ts) or, given a number, every that many milliseconds.
 */
import { useCallback, useEffect, useState } from 'react';
import { api } from './api';
import { useChanges, type LiveTopic } from './live';

const NONE: readonly LiveTopic[] = [];

export function useApi<T>(path: string | null, live?: number | readonly LiveTopic[]) {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<unknown>();
  const [loading, setLoading] = useState(true);
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const changed = useChanges(Array.isArray(live) ? live : NONE);
  const refreshMs = typeof live === 'number' ? live : undefined;

  // Another path (a filter, a page): loading until its answer is in.
  useEffect(() => {
    setLoading(true);
  }, [path]);

  useEffect(() => {
    if (path === null) return;
    let current = true;
    const load = () =>
      api<T>('GET', path).then(
        (value) => {
          if (!current) return;
          setData(value);
          setError(undefined);
          setLoading(false);
        },
        (err: unknown) => {
          if (!current) return;
          setError(err);
          setLoading(false);
        },
      );
    void load();
    const timer = refreshMs ? window.setInterval(() => void load(), refreshMs) : undefined;
    return () => {
      current = false;
      window.clearInterval(timer);
    };
  }, [path, refreshMs, generation, changed]);

  return { data, error, loading, reload };
}
