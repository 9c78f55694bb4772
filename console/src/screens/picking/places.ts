/**
 * Where the person works (a warehouse or store, remembered in localStorage per screen), and the picking queue of a
 * location: GET /api/orders?status=PICKING&reservedAt=… (orders with stock still reserved there).
 */
import { useEffect, useRef, useState } from 'react';
import { api } from '../../api';
import { pathTo } from '../../typed-api';
import type { OrderRow } from '../../types';
import { useChanges } from '../../live';
import { useApi } from '../../useApi';
import type { Location, OrderList } from './types';

export const PICKING_LOCATION = 'oms.picking.location';
export const PICKUP_STORE = 'oms.pickup.store';

/** The locations (those `accept` keeps), and the one chosen here: the remembered one, else the first. */
export function useChosenLocation(storageKey: string, accept: (l: Location) => boolean = () => true) {
  const { data, error } = useApi<{ locations: Location[] }>('/locations');
  const [stored, setStored] = useState(() => localStorage.getItem(storageKey) ?? undefined);
  const locations = (data?.locations ?? []).filter(accept);
  const chosen = locations.find((l) => l.code === stored) ?? locations[0];
  const choose = (code: string) => {
    localStorage.setItem(storageKey, code);
    setStored(code);
  };
  return { locations, chosen, choose, loaded: data !== undefined, error };
}

export type QueueRow = OrderRow;

export interface Queue {
  rows: QueueRow[];
  total: number;
}

const LIMIT = 100;

/** The orders with stock still reserved at `location` (what is left to pick there): urgent first, then oldest. */
export async function loadQueue(location: string): Promise<Queue> {
  const list = await api<OrderList>(
    'GET',
    pathTo('/orders', {}, { status: 'PICKING', reservedAt: location, limit: LIMIT }),
  );
  const rows = [...list.orders].sort(
    (a, b) => Number(b.urgent) - Number(a.urgent) || a.createdAt.localeCompare(b.createdAt),
  );
  return { rows, total: list.total };
}

/** The location's queue, read again whenever orders move (live.ts). */
export function useQueue(location: string | undefined) {
  const [queue, setQueue] = useState<Queue>();
  const [error, setError] = useState<unknown>();
  const changed = useChanges(['orders']);
  const shown = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (!location) return;
    let live = true;
    // Another location's queue is never shown under this one's name.
    if (shown.current !== location) setQueue(undefined);
    shown.current = location;
    const load = () =>
      loadQueue(location).then(
        (q) => {
          if (!live) return;
          setQueue(q);
          setError(undefined);
        },
        (err: unknown) => live && setError(err),
      );
    void load();
    return () => {
      live = false;
    };
  }, [location, changed]);
  return { queue, error };
}
