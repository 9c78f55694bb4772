/** Open warnings (GET /api/warnings): order and repair delays and delivery exceptions by stage, low stock by SKU. */
import { Alert, Card, Empty, List, Space, Spin, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorText } from '../errors';
import { time } from '../format';
import { Link } from '../Link';
import type { SignedIn, Warning } from '../types';
import { useApi } from '../useApi';
import { REPAIR_STAGES } from '../../../domain/repairs';

/** The order the kinds are shown in; a kind the console does not know yet comes after them. */
const KINDS = ['EXCEPTION', 'DELAY', 'REPAIR_DELAY', 'LOW_STOCK'];
const COLOURS: Record<string, string> = {
  EXCEPTION: 'red',
  DELAY: 'orange',
  REPAIR_DELAY: 'orange',
  LOW_STOCK: 'gold',
};
const STAGES = ['REVIEW', 'BACKORDER', 'PICKING', 'PICKUP', 'DELIVERY', 'RETURN', ...REPAIR_STAGES];

interface StoredWarning extends Warning {
  locationId?: number | null;
  key?: string;
}

/** The repair ticket a repair's warning is about: its key is `repair-delay:<ticketNumber>:<stage>`. */
const ticketOf = (w: StoredWarning) =>
  w.kind === 'REPAIR_DELAY' ? /^repair-delay:([^:]+):/.exec(w.key ?? '')?.[1] : undefined;

interface Location {
  id: number;
  code: string;
}

function groupBy<T>(items: T[], keyOf: (item: T) => string, order: string[]): [string, T[]][] {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(keyOf(item), [...(groups.get(keyOf(item)) ?? []), item]);
  const rank = (key: string) => (order.includes(key) ? order.indexOf(key) : order.length);
  return [...groups.entries()].sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
}

/** Where a SKU's stock is shown: the catalogue, searched for it. */
export const skuPath = (sku: string) => `/stock?sku=${encodeURIComponent(sku)}`;

export function Warnings({ me }: { me: SignedIn }) {
  const { t } = useTranslation();
  const warnings = useApi<{ warnings: StoredWarning[] }>('/warnings', ['warnings']);
  const locations = useApi<{ locations: Location[] }>(me.permissions.includes('catalogue.read') ? '/locations' : null);
  const locationCode = (id: number | null | undefined) =>
    id == null
      ? undefined
      : (locations.data?.locations.find((l) => l.id === id)?.code ?? t('warnings.location', { id }));

  const kindName = (kind: string) => t(`warnings.kind.${kind}`, { defaultValue: kind });
  const stageName = (stage: string) =>
    stage ? t(`warnings.stage.${stage}`, { defaultValue: stage }) : t('warnings.noStage');

  const all = warnings.data?.warnings ?? [];
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={2} style={{ margin: 0 }}>
        {t('warnings.title')}{' '}
        {warnings.data && (
          <Typography.Text type="secondary" style={{ fontSize: 16 }}>
            {t('warnings.count', { count: all.length })}
          </Typography.Text>
        )}
      </Typography.Title>
      {warnings.error !== undefined && <Alert type="error" showIcon message={errorText(warnings.error, t)} />}
      {!warnings.data && warnings.loading && <Spin />}
      {warnings.data && all.length === 0 && <Empty description={t('warnings.none')} />}
      {groupBy(all, (w) => w.kind, KINDS).map(([kind, ofKind]) => (
        <Card
          key={kind}
          data-testid={`warnings-${kind}`}
          title={
            <Space>
              <Tag color={COLOURS[kind] ?? 'default'}>{kindName(kind)}</Tag>
              <Typography.Text type="secondary">{ofKind.length}</Typography.Text>
            </Space>
          }
        >
          {groupBy(ofKind, (w) => w.stage ?? '', STAGES).map(([stage, ofStage]) => (
            <div key={stage || '-'} style={{ marginBottom: 16 }}>
              {(stage || kind !== 'LOW_STOCK') && (
                <Typography.Title level={5} style={{ marginTop: 0 }}>
                  {stageName(stage)} ({ofStage.length})
                </Typography.Title>
              )}
              <List
                size="small"
                bordered
                dataSource={ofStage}
                renderItem={(w) => (
                  <List.Item
                    extra={
                      <Typography.Text type="secondary" title={t('warnings.opened')}>
                        {time(w.openedAt)}
                      </Typography.Text>
                    }
                  >
                    <List.Item.Meta
                      title={
                        <Space wrap>
                          {w.orderNumber && (
                            <Link to={`/orders/${encodeURIComponent(w.orderNumber)}`}>{w.orderNumber}</Link>
                          )}
                          {w.sku && <Link to={skuPath(w.sku)}>{w.sku}</Link>}
                          {ticketOf(w) && (
                            <Link to={`/repairs/${encodeURIComponent(ticketOf(w)!)}`}>{ticketOf(w)}</Link>
                          )}
                          {w.locationId != null && <Tag>{locationCode(w.locationId)}</Tag>}
                        </Space>
                      }
                      description={w.message}
                    />
                  </List.Item>
                )}
              />
            </div>
          ))}
        </Card>
      ))}
    </Space>
  );
}
