/**
 * Every screen of the console, in menu order: its path, its menu label (an i18n key), what a role needs to see it
 * (the API's permission names; the API refuses the same calls anyway), and how it is drawn. A screen file adds
 * itself here with one entry; `render` answers null when the path is not its own.
 */
import type { ReactNode } from 'react';
import {
  AuditOutlined,
  DashboardOutlined,
  DatabaseOutlined,
  GiftOutlined,
  InboxOutlined,
  KeyOutlined,
  PlusCircleOutlined,
  RollbackOutlined,
  SafetyOutlined,
  ScanOutlined,
  ShopOutlined,
  StopOutlined,
  TagsOutlined,
  TeamOutlined,
  ToolOutlined,
  UnorderedListOutlined,
  WarningOutlined,
} from '@ant-design/icons';
import { lazyRoute, type ScreenRoute } from './lazy-route';
import { Today } from './Today';
import type { SignedIn } from './types';

export interface ConsolePage {
  /** The menu's key and the start of every path the screen draws. */
  path: string;
  label: string;
  icon: ReactNode;
  needs: readonly string[];
  /** Left out of the menu (reached by links only). */
  hidden?: boolean;
  render: ScreenRoute;
}

/** A screen at exactly `path`, loaded on first use. */
const only = (path: string, load: () => Promise<ScreenRoute>) => lazyRoute((p) => p === path, load);
/** A screen at `path` and the paths under it, loaded on first use. */
const under = (path: string, load: () => Promise<ScreenRoute>) =>
  lazyRoute((p) => p === path || p.startsWith(`${path}/`), load);

export const PAGES: readonly ConsolePage[] = [
  {
    path: '/',
    label: 'menu.today',
    icon: <DashboardOutlined />,
    needs: ['orders.read', 'warnings.read'],
    render: (path) => (path === '/' ? <Today /> : null),
  },
  {
    path: '/orders',
    label: 'menu.orders',
    icon: <UnorderedListOutlined />,
    needs: ['orders.read'],
    render: lazyRoute(
      // /orders/new is the New order screen's (a role without it gets "no such page", not an order named "new").
      (path) => path === '/orders' || (/^\/orders\/[^/]+$/.test(path) && path !== '/orders/new'),
      () =>
        Promise.all([import('./Orders'), import('./OrderPage')]).then(
          ([{ Orders }, { OrderPage }]) =>
            (path, _p, me) => {
              if (path === '/orders') return <Orders />;
              const orderNumber = /^\/orders\/([^/]+)$/.exec(path)?.[1];
              return orderNumber ? <OrderPage orderNumber={decodeURIComponent(orderNumber)} me={me} /> : null;
            },
        ),
    ),
  },
  {
    path: '/orders/new',
    label: 'newOrder.menu',
    icon: <PlusCircleOutlined />,
    needs: ['orders.create', 'catalogue.read', 'inventory.read'],
    render: only('/orders/new', () => import('./screens/NewOrder').then(({ NewOrder }) => () => <NewOrder />)),
  },
  {
    path: '/review',
    label: 'reviewQueue.menu',
    icon: <AuditOutlined />,
    needs: ['orders.read', 'orders.review'],
    render: only('/review', () => import('./screens/ReviewQueue').then(({ ReviewQueue }) => () => <ReviewQueue />)),
  },
  {
    path: '/picking',
    label: 'picking.menu',
    icon: <ScanOutlined />,
    needs: ['orders.read', 'orders.pick'],
    render: under('/picking', () => import('./screens/Picking').then((m) => m.pickingRoute)),
  },
  {
    path: '/pickup',
    label: 'pickup.menu',
    icon: <InboxOutlined />,
    needs: ['orders.read', 'orders.collect'],
    render: only('/pickup', () =>
      import('./screens/Pickup').then(({ Pickup }) => (_path, _p, me) => <Pickup me={me} />),
    ),
  },
  {
    path: '/customers',
    label: 'customers.menu',
    icon: <TeamOutlined />,
    needs: ['customers.read'],
    render: under('/customers', () => import('./screens/Customers').then((m) => m.customersScreen)),
  },
  {
    path: '/returns',
    label: 'returns.menu',
    icon: <RollbackOutlined />,
    needs: ['returns.read', 'orders.read'],
    render: under('/returns', () => import('./screens/Returns').then((m) => m.returnsScreen)),
  },
  {
    path: '/repairs',
    label: 'repairs.menu',
    icon: <ToolOutlined />,
    needs: ['repairs.read'],
    render: under('/repairs', () => import('./screens/Repairs').then((m) => m.repairsScreen)),
  },
  {
    path: '/promotions',
    label: 'promotions.menu',
    icon: <GiftOutlined />,
    needs: ['promotions.manage'],
    render: only('/promotions', () =>
      import('./screens/Promotions').then(
        ({ promotionsScreen }) =>
          (path, params, me) =>
            promotionsScreen(path, params, me),
      ),
    ),
  },
  {
    path: '/stock',
    label: 'stock.menu',
    icon: <DatabaseOutlined />,
    needs: ['inventory.read'],
    render: under('/stock', () => import('./screens/Stock').then((m) => m.stockScreen)),
  },
  {
    path: '/warnings',
    label: 'warnings.menu',
    icon: <WarningOutlined />,
    needs: ['warnings.read'],
    render: only('/warnings', () =>
      import('./screens/Warnings').then(({ Warnings }) => (_path, _p, me) => <Warnings me={me} />),
    ),
  },
  {
    path: '/catalogue',
    label: 'catalogue.menu',
    icon: <TagsOutlined />,
    needs: ['catalogue.read'],
    render: only('/catalogue', () =>
      import('./screens/Catalogue').then(({ Catalogue }) => (_path, params, me) => (
        <Catalogue me={me} params={params} />
      )),
    ),
  },
  {
    path: '/locations',
    label: 'locations.menu',
    icon: <ShopOutlined />,
    needs: ['catalogue.read'],
    render: only('/locations', () =>
      import('./screens/Locations').then(({ Locations }) => (_path, _p, me) => <Locations me={me} />),
    ),
  },
  {
    // Managers decide who is blocked (customers.block); clerks look it up at the till.
    path: '/blocked',
    label: 'security.blockedMenu',
    icon: <StopOutlined />,
    needs: ['customers.read-blocked'],
    render: only('/blocked', () =>
      import('./screens/security/Blocked').then(({ Blocked }) => (_path, _p, me) => (
        <Blocked mayChange={me.permissions.includes('customers.block')} />
      )),
    ),
  },
  {
    path: '/staff',
    label: 'staff.menu',
    icon: <KeyOutlined />,
    needs: ['keys.manage'],
    render: only('/staff', () => import('./screens/Staff').then(({ Staff }) => (_path, _p, me) => <Staff me={me} />)),
  },
  {
    path: '/security',
    label: 'security.menu',
    icon: <SafetyOutlined />,
    needs: ['security-events.read'],
    render: only('/security', () => import('./screens/Security').then(({ Security }) => () => <Security />)),
  },
];

/** The pages this person may open. */
export function pagesFor(me: SignedIn): ConsolePage[] {
  return PAGES.filter((page) => page.needs.every((permission) => me.permissions.includes(permission)));
}

/** The page whose path is the longest start of `path` (the menu item to light up). */
export function pageOf(pages: readonly ConsolePage[], path: string): ConsolePage | undefined {
  return pages
    .filter((page) => page.path === '/' || path === page.path || path.startsWith(`${page.path}/`))
    .sort((a, b) => b.path.length - a.path.length)[0];
}
