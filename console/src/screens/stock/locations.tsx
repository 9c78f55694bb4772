/** The shop's locations (GET /api/locations, catalogue read) and a select of them by code. */
import type { CSSProperties } from 'react';
import { Select } from 'antd';
import type { SignedIn } from '../../types';
import { useApi } from '../../useApi';

export interface ShopLocation {
  id: number;
  code: string;
  name: string;
  kind: string;
}

export function useLocations(me: SignedIn): ShopLocation[] {
  const { data } = useApi<{ locations: ShopLocation[] }>(
    me.permissions.includes('catalogue.read') ? '/locations' : null,
  );
  return data?.locations ?? [];
}

/** A location chosen by code; with no list to choose from (no catalogue read), the code is typed. */
export function LocationSelect({
  locations,
  value,
  onChange,
  placeholder,
  allowClear,
  id,
  ariaLabel,
  style,
}: {
  locations: ShopLocation[];
  value?: string;
  onChange?: (code: string | undefined) => void;
  placeholder?: string;
  allowClear?: boolean;
  id?: string;
  ariaLabel?: string;
  style?: CSSProperties;
}) {
  return (
    <Select
      id={id}
      aria-label={ariaLabel}
      showSearch
      allowClear={allowClear}
      style={{ minWidth: 220, ...style }}
      placeholder={placeholder}
      value={value}
      onChange={(code?: string) => onChange?.(code)}
      optionFilterProp="label"
      options={locations.map((l) => ({ value: l.code, label: `${l.code} · ${l.name}` }))}
    />
  );
}
