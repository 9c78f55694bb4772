/** Adds a line by SKU or barcode: typed or scanned, then Enter; or picked from the products that match. */
import { useRef, useState } from 'react';
import { Button, Form, Input, Space, Table, Typography, type InputRef } from 'antd';
import { PlusOutlined, ScanOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { money } from '../../format';
import { findExact, search, type CatalogueItem } from './model';

export function ProductLookup({
  items,
  reloadItems,
  onAdd,
  error,
}: {
  items: readonly CatalogueItem[];
  /** The catalogue again (a product added since the form opened); answers the new list. */
  reloadItems: () => Promise<CatalogueItem[]>;
  onAdd: (item: CatalogueItem) => void;
  /** What the API said about the lines as a whole (e.g. none). */
  error?: string;
}) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [miss, setMiss] = useState<string>();
  const input = useRef<InputRef>(null);
  const matches = findExact(items, text) ? [] : search(items, text);

  const add = (item: CatalogueItem) => {
    onAdd(item);
    setText('');
    setMiss(undefined);
    input.current?.focus();
  };

  const enter = async () => {
    const code = text.trim();
    if (!code) return;
    const found = findExact(items, code) ?? findExact(await reloadItems().catch(() => []), code);
    if (found) add(found);
    else if (matches.length === 1) add(matches[0]);
    else setMiss(code);
  };

  const help = miss ? t('newOrder.noMatch', { code: miss }) : (error ?? t('newOrder.lookupHelp'));
  return (
    <>
      <Form.Item
        label={t('newOrder.lookup')}
        htmlFor="new-order-lookup"
        validateStatus={miss || error ? 'error' : undefined}
        help={help}
      >
        <Input
          id="new-order-lookup"
          ref={input}
          prefix={<ScanOutlined />}
          placeholder={t('newOrder.lookupPlaceholder')}
          autoComplete="off"
          autoFocus
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setMiss(undefined);
          }}
          onPressEnter={(e) => {
            e.preventDefault();
            void enter();
          }}
          style={{ maxWidth: 420 }}
        />
      </Form.Item>
      {matches.length > 0 && (
        <Table<CatalogueItem>
          aria-label={t('newOrder.matches')}
          rowKey="sku"
          size="small"
          pagination={false}
          showHeader={false}
          dataSource={matches}
          style={{ maxWidth: 720, marginBottom: 16 }}
          columns={[
            { dataIndex: 'sku', render: (sku: string) => <Typography.Text strong>{sku}</Typography.Text> },
            {
              render: (_: unknown, i) => (
                <Space size={4} wrap>
                  {i.name}
                  <Typography.Text type="secondary">{Object.values(i.attributes).join(' / ')}</Typography.Text>
                </Space>
              ),
            },
            { dataIndex: 'barcode' },
            { align: 'right', render: (_: unknown, i) => money(i.priceMinor) },
            {
              align: 'right',
              render: (_: unknown, i) => (
                <Button size="small" icon={<PlusOutlined />} onClick={() => add(i)}>
                  {t('newOrder.add')}
                </Button>
              ),
            },
          ]}
        />
      )}
    </>
  );
}
