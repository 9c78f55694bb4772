/**
 * Where the person works (a warehouse or store, remembered in localStorage per screen), and the picking queue of a
 * location: GET /api/orders?status=PICKING&location=…. Until the list route filters by location itself (it then
 * answers `total`), the queue is narrowed here from each order's pick list.
 */
import { useEffect, useRef, useState } from 'react';
import { api, query } from '../../api';
import type { OrderRow } from '../../types';
import { useChanges } from '../../live';
import { useApi } from '../../useApi';
import type { Location, OrderList, PickList, PickListShipment } from './types';

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

export interface QueueRow extends OrderRow {
  /** The shipments waiting to be picked here (known when the queue was narrowed from the pick lists). */
  shipments?: PickListShipment[];
}

export interface Queue {
  rows: QueueRow[];
  total: number;
}

const LIMIT = 100;

export async function loadQueue(location: string): Promise<Queue> {
  const list = await api<OrderList>('GET', `/orders${query({ status: 'PICKING', location, limit: LIMIT })}`);
  // Urgent orders first, then the one that has waited longest.
  const oldestFirst = (rows: QueueRow[]) =>
    [...rows].sort((a, b) => Number(b.urgent) - Number(a.urgent) || a.createdAt.localeCompare(b.createdAt));
  if (list.total !== undefined) return { rows: oldestFirst(list.orders), total: list.total };
  const rows = await Promise.all(
    list.orders.map(async (order): Promise<QueueRow | null> => {
      try {
        const pick = await api<PickList>('GET', `/orders/${encodeURIComponent(order.orderNumber)}/pick-list`);
        const here = pick.shipments.filter((s) => s.phase === 'PICKING' && s.location === location);
        return here.length ? { ...order, shipments: here } : null;
      } catch {
        return null; // moved on (or closed) since the list was read
      }
    }),
  );
  const kept = rows.filter((r): r is QueueRow => r !== null);
  return { rows: oldestFirst(kept), total: kept.length };
}

/** The queue of `location`, read again every `refreshMs`. */
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
