/** What is scanned of each line, scanned / needed, large enough to read at arm's length. */
import { Card, Progress, Space, Tag, Typography } from 'antd';
import { CheckCircleFilled } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { scannedOf, type ScanState, type ScanTarget } from './scans';

export function ScanLines({ targets, state, last }: { targets: ScanTarget[]; state: ScanState; last?: string }) {
  const { t } = useTranslation();
  const total = targets.reduce((n, x) => n + x.needed, 0);
  const scanned = state.scans.length;
  return (
    <Space orientation="vertical" size="small" style={{ width: '100%' }}>
      <Progress
        percent={Math.round((scanned / total) * 100)}
        format={() => `${scanned} / ${total}`}
        size={{ height: 14 }}
        aria-label={t('picking.scanned')}
      />
      {targets.map((target) => {
        const count = scannedOf(state, target.barcode);
        const full = count === target.needed;
        const waiting = state.awaitingSerial === target.barcode;
        const serials = state.scans.filter((s) => s.barcode === target.barcode && s.serial).map((s) => s.serial);
        return (
          <Card
            key={target.barcode}
            size="small"
            data-testid={`pick-line-${target.barcode}`}
            style={{
              borderWidth: last === target.barcode || waiting ? 3 : 1,
              borderColor: waiting ? '#722ed1' : full ? '#52c41a' : last === target.barcode ? '#1f6feb' : undefined,
              background: full ? '#f6ffed' : undefined,
            }}
          >
            <div style={{ display: 'flex', alignItems: 'center', gap: 24, flexWrap: 'wrap' }}>
              <div style={{ flex: 1, minWidth: 240 }}>
                <div style={{ fontSize: 30, fontWeight: 700, lineHeight: 1.2 }}>
                  {full && <CheckCircleFilled style={{ color: '#52c41a', marginRight: 8 }} />}
                  {target.sku}
                </div>
                <Typography.Text type="secondary" style={{ fontSize: 16 }}>
                  {t('picking.barcode', { barcode: target.barcode })} ·{' '}
                  {target.lineNos.map((lineNo) => t('picking.line', { lineNo })).join(', ')}
                </Typography.Text>
                {target.serialised && (
                  <div style={{ marginTop: 4 }}>
                    <Tag color="purple">{t('picking.serials')}</Tag>
                    {serials.map((s) => (
                      <Tag key={s} style={{ fontFamily: 'monospace', fontSize: 14 }}>
                        {s}
                      </Tag>
                    ))}
                    {target.suggestedSerials.length > 0 && !full && (
                      <div>
                        <Typography.Text type="secondary">
                          {t('picking.suggested', { serials: target.suggestedSerials.join(', ') })}
                        </Typography.Text>
                      </div>
                    )}
                  </div>
                )}
              </div>
              <div
                data-testid="pick-line-count"
                aria-label={t('picking.counted', { sku: target.sku, scanned: count, needed: target.needed })}
                style={{ fontSize: 56, fontWeight: 700, fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}
              >
                <span style={{ color: full ? '#389e0d' : count > 0 ? '#1f6feb' : '#999' }}>{count}</span>
                <span style={{ color: '#999' }}> / {target.needed}</span>
              </div>
            </div>
          </Card>
        );
      })}
    </Space>
  );
}
