/** A small history router: the path and query of the page, and navigate() to go elsewhere without a reload. */
import { useSyncExternalStore } from 'react';

const listeners = new Set<() => void>();
const notify = () => listeners.forEach((listener) => listener());
window.addEventListener('popstate', notify);

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const current = () => window.location.pathname + window.location.search;

export function navigate(to: string): void {
  if (to === current()) return;
  window.history.pushState(null, '', to);
  notify();
}

/** The current location: its path, and its query parameters. */
export function useLocation(): { path: string; params: URLSearchParams } {
  const href = useSyncExternalStore(subscribe, current);
  const url = new URL(href, window.location.origin);
  return { path: url.pathname, params: url.searchParams };
}
