/** A coupon promotion's codes (GET and POST /api/promotions/:code/coupons): their use, and new ones issued. */
import { useState } from 'react';
import { Alert, Button, Drawer, Form, Input, InputNumber, Space, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import { errorText } from '../../errors';
import { time } from '../../format';
import { useApi } from '../../useApi';
import { listOf } from './model';

interface Coupon {
  code: string;
  maxUses: number | null;
  perCustomer: number | null;
  used: number;
  customerId: number | null;
  expiresAt: string | null;
}

export function Coupons({ code, onClose }: { code: string; onClose: () => void }) {
  const { t } = useTranslation();
  const coupons = useApi<{ coupons: Coupon[] }>(`/promotions/${encodeURIComponent(code)}/coupons`);
  const [codes, setCodes] = useState('');
  const [count, setCount] = useState<number | null>(null);
  const [maxUses, setMaxUses] = useState<number | null>(1);
  const [perCustomer, setPerCustomer] = useState<number | null>(null);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const issue = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const own = listOf(codes).map((c) => c.toUpperCase());
      await api('POST', `/promotions/${encodeURIComponent(code)}/coupons`, {
        ...(own.length ? { codes: own } : { count: count ?? 1 }),
        ...(maxUses ? { maxUses } : {}),
        ...(perCustomer ? { perCustomer } : {}),
      });
      setCodes('');
      coupons.reload();
    } catch (err) {
      setError(errorText(err, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Drawer open width={560} title={t('promotions.couponsOf', { code })} onClose={onClose}>
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        <Form layout="vertical" onSubmitCapture={(e) => e.preventDefault()}>
          <Form.Item label={t('promotions.ownCodes')} help={t('promotions.ownCodesHelp')} htmlFor="coupon-codes">
            <Input id="coupon-codes" value={codes} onChange={(e) => setCodes(e.target.value)} />
          </Form.Item>
          <Space wrap>
            <Form.Item label={t('promotions.randomCount')} htmlFor="coupon-count">
              <InputNumber
                id="coupon-count"
                min={1}
                max={1000}
                value={count}
                onChange={setCount}
                disabled={!!codes.trim()}
              />
            </Form.Item>
            <Form.Item label={t('promotions.maxUses')} htmlFor="coupon-max-uses">
              <InputNumber id="coupon-max-uses" min={1} value={maxUses} onChange={setMaxUses} />
            </Form.Item>
            <Form.Item label={t('promotions.perCustomer')} htmlFor="coupon-per-customer">
              <InputNumber id="coupon-per-customer" min={1} value={perCustomer} onChange={setPerCustomer} />
            </Form.Item>
          </Space>
          {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
          <Button type="primary" loading={busy} onClick={() => void issue()}>
            {t('promotions.issue')}
          </Button>
        </Form>
        {coupons.error ? (
          <Alert type="error" showIcon title={errorText(coupons.error, t)} />
        ) : (
          <Table<Coupon>
            rowKey="code"
            size="small"
            loading={coupons.loading}
            dataSource={coupons.data?.coupons ?? []}
            pagination={{ pageSize: 20 }}
            columns={[
              {
                title: t('promotions.coupon'),
                render: (_: unknown, c) => <Typography.Text copyable>{c.code}</Typography.Text>,
              },
              { title: t('promotions.used'), render: (_: unknown, c) => `${c.used} / ${c.maxUses ?? '∞'}` },
              { title: t('promotions.perCustomer'), render: (_: unknown, c) => c.perCustomer ?? '—' },
              { title: t('promotions.expires'), render: (_: unknown, c) => (c.expiresAt ? time(c.expiresAt) : '—') },
            ]}
          />
        )}
      </Space>
    </Drawer>
  );
}
