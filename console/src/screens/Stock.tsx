/**
 * Stock: levels per SKU and location (low stock marked), the ledger, and, each only for a role that may, receipts,
 * counts, write-offs, transfers and the CSV import; the export for everyone. One tab per path under /stock.
 */
import type { ReactNode } from 'react';
import { Tabs, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { navigate } from '../router';
import type { SignedIn } from '../types';
import { CsvTab } from './stock/CsvTab';
import { Levels } from './stock/Levels';
import { useLocations } from './stock/locations';
import { Movements } from './stock/Movements';
import { StockDocument } from './stock/StockDocument';
import { TransferPage } from './stock/TransferPage';
import { NewTransfer, Transfers } from './stock/Transfers';

interface StockTab {
  key: string;
  path: string;
  needs: string[];
}

const TABS: StockTab[] = [
  { key: 'levels', path: '/stock', needs: [] },
  { key: 'movements', path: '/stock/movements', needs: [] },
  { key: 'receipt', path: '/stock/receipt', needs: ['inventory.receive'] },
  { key: 'count', path: '/stock/count', needs: ['inventory.count'] },
  { key: 'writeOff', path: '/stock/write-off', needs: ['inventory.write-off'] },
  { key: 'transfers', path: '/stock/transfers', needs: ['transfers.read'] },
  { key: 'csv', path: '/stock/csv', needs: [] },
];

/** The stock pages (null for a path that is not one of them, or a tab the role may not open). */
export function stockScreen(path: string, _params: URLSearchParams, me: SignedIn): ReactNode | null {
  const tabs = TABS.filter((tab) => tab.needs.every((p) => me.permissions.includes(p)));
  const tab = tabs.find((t) => path === t.path || (t.key === 'transfers' && path.startsWith(`${t.path}/`)));
  if (!tab) return null;
  return <StockScreen tabs={tabs} tab={tab} path={path} me={me} />;
}

function StockScreen({ tabs, tab, path, me }: { tabs: StockTab[]; tab: StockTab; path: string; me: SignedIn }) {
  const { t } = useTranslation();
  const locations = useLocations(me);
  const transferNumber = /^\/stock\/transfers\/([^/]+)$/.exec(path)?.[1];

  let content: ReactNode;
  if (tab.key === 'levels')
    content = <Levels locations={locations} mayAdjust={me.permissions.includes('inventory.adjust')} />;
  else if (tab.key === 'movements') content = <Movements locations={locations} />;
  else if (tab.key === 'receipt' || tab.key === 'count' || tab.key === 'writeOff')
    content = <StockDocument key={tab.key} kind={tab.key} locations={locations} />;
  else if (tab.key === 'csv') content = <CsvTab me={me} />;
  else if (transferNumber === 'new')
    content = me.permissions.includes('transfers.move') ? <NewTransfer locations={locations} /> : null;
  else if (transferNumber)
    content = <TransferPage transferNumber={decodeURIComponent(transferNumber)} me={me} locations={locations} />;
  else content = <Transfers me={me} locations={locations} />;

  return (
    <>
      <Typography.Title level={2}>{t('stock.title')}</Typography.Title>
      <Tabs
        activeKey={tab.key}
        onTabClick={(key) => navigate(tabs.find((x) => x.key === key)!.path)}
        items={tabs.map((x) => ({ key: x.key, label: t(`stock.tab.${x.key}`) }))}
      />
      {content}
    </>
  );
}
