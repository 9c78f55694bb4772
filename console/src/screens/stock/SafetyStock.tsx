/** The safety stock of one SKU at one location, changed by those who may (inventory.adjust): below it, stock is low. */
import { useState } from 'react';
import { Alert, Button, InputNumber, Modal, Space, Typography } from 'antd';
import { EditOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../errors';
import { send } from '../../typed-api';
import type { StockLevel } from './Levels';

export function SafetyStock({
  level,
  mayAdjust,
  onSaved,
}: {
  level: StockLevel;
  mayAdjust: boolean;
  onSaved: () => void;
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [value, setValue] = useState<number | null>(level.safetyStock);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  if (!mayAdjust) return <>{level.safetyStock}</>;

  const save = async () => {
    if (value === null || busy) return;
    setBusy(true);
    setError(undefined);
    try {
      await send(
        'put',
        '/inventory/levels/{sku}/{location}',
        { sku: level.sku, location: level.location },
        { safetyStock: value },
      );
      setOpen(false);
      onSaved(); // not a stock movement: the live feed would not bring it
    } catch (err) {
      setError(errorText(err, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Space size={4}>
      {level.safetyStock}
      <Button
        size="small"
        type="text"
        icon={<EditOutlined />}
        aria-label={t('stock.editSafetyStock', { sku: level.sku, location: level.location })}
        onClick={() => {
          setValue(level.safetyStock);
          setError(undefined);
          setOpen(true);
        }}
      />
      {open && (
        <Modal
          open
          title={t('stock.editSafetyStock', { sku: level.sku, location: level.location })}
          okText={t('stock.save')}
          okButtonProps={{ loading: busy, disabled: value === null }}
          onOk={() => void save()}
          onCancel={() => setOpen(false)}
        >
          <Space direction="vertical" style={{ width: '100%' }}>
            <Typography.Text type="secondary">
              {t('stock.safetyStockHelp', { available: level.available })}
            </Typography.Text>
            <InputNumber
              autoFocus
              min={0}
              max={1_000_000}
              precision={0}
              value={value}
              onChange={setValue}
              aria-label={t('stock.safetyStock')}
              onPressEnter={() => void save()}
            />
            {error && <Alert type="error" showIcon message={error} />}
          </Space>
        </Modal>
      )}
    </Space>
  );
}
