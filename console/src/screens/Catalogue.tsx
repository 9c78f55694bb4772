/** The catalogue (GET /api/products): products with their variants, searched; new products and CSV in and out. */
import { useEffect, useMemo, useState } from 'react';
import { Alert, App, Button, Input, Space, Table, Tag, Typography } from 'antd';
import { DownloadOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { errorText } from '../errors';
import { money, time } from '../format';
import { navigate } from '../router';
import type { SignedIn } from '../types';
import { useApi } from '../useApi';
import { ProductForm } from './catalogue/ProductForm';
import { ProductImport } from './catalogue/ProductImport';

export interface Variant {
  sku: string;
  barcode: string;
  priceMinor: number;
  attributes: Record<string, string>;
}

export interface Product {
  id: number;
  code: string;
  name: string;
  category: string;
  serialised: boolean;
  createdAt: string;
  variants: Variant[];
}

const attributesText = (attributes: Record<string, string>) =>
  Object.entries(attributes ?? {})
    .map(([name, value]) => `${name}=${value}`)
    .join('; ');

function matches(product: Product, q: string): boolean {
  const needle = q.trim().toLowerCase();
  if (!needle) return true;
  const texts = [product.code, product.name, product.category, ...product.variants.flatMap((v) => [v.sku, v.barcode])];
  return texts.some((text) => text.toLowerCase().includes(needle));
}

function priceRange(variants: Variant[]): string {
  if (variants.length === 0) return '';
  const prices = variants.map((v) => v.priceMinor);
  const low = Math.min(...prices);
  const high = Math.max(...prices);
  return low === high ? money(low) : `${money(low)} – ${money(high)}`;
}

export function Catalogue({ me, params }: { me: SignedIn; params: URLSearchParams }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const products = useApi<{ products: Product[] }>('/products');
  const q = params.get('q') ?? '';
  const [typed, setTyped] = useState(q);
  useEffect(() => setTyped(q), [q]);
  const [creating, setCreating] = useState(false);
  const [importing, setImporting] = useState(false);
  const mayWrite = me.permissions.includes('catalogue.write');

  const shown = useMemo(() => (products.data?.products ?? []).filter((p) => matches(p, q)), [products.data, q]);
  const search = (value: string) =>
    navigate(`/catalogue${value.trim() ? `?q=${encodeURIComponent(value.trim())}` : ''}`);

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Space wrap style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Title level={2} style={{ margin: 0 }}>
          {t('catalogue.title')}
        </Typography.Title>
        <Space wrap>
          {mayWrite && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
              {t('catalogue.create')}
            </Button>
          )}
          {mayWrite && (
            <Button icon={<UploadOutlined />} onClick={() => setImporting(true)}>
              {t('catalogue.importCsv')}
            </Button>
          )}
          <Button icon={<DownloadOutlined />} href="/api/products.csv" download="products.csv">
            {t('catalogue.exportCsv')}
          </Button>
        </Space>
      </Space>
      <Input.Search
        allowClear
        placeholder={t('catalogue.search')}
        aria-label={t('catalogue.search')}
        value={typed}
        onChange={(e) => {
          setTyped(e.target.value);
          if (!e.target.value) search('');
        }}
        onSearch={search}
        style={{ maxWidth: 480 }}
      />
      {products.error !== undefined && <Alert type="error" showIcon message={errorText(products.error, t)} />}
      <Table<Product>
        rowKey="code"
        loading={products.loading}
        dataSource={shown}
        locale={{ emptyText: q ? t('catalogue.noMatch') : t('catalogue.none') }}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        expandable={{
          // A search shows the variants it may have matched on.
          ...(q ? { expandedRowKeys: shown.map((p) => p.code) } : {}),
          expandedRowRender: (product) => (
            <Table<Variant>
              size="small"
              rowKey="sku"
              pagination={false}
              dataSource={product.variants}
              columns={[
                { title: t('catalogue.sku'), dataIndex: 'sku' },
                { title: t('catalogue.barcode'), dataIndex: 'barcode' },
                {
                  title: t('catalogue.attributes'),
                  dataIndex: 'attributes',
                  render: (a: Record<string, string>) => attributesText(a),
                },
                {
                  title: t('catalogue.price'),
                  dataIndex: 'priceMinor',
                  align: 'right',
                  render: (minor: number) => money(minor),
                },
              ]}
            />
          ),
        }}
        columns={[
          { title: t('catalogue.code'), dataIndex: 'code', render: (code: string) => <strong>{code}</strong> },
          { title: t('catalogue.name'), dataIndex: 'name' },
          { title: t('catalogue.category'), dataIndex: 'category' },
          {
            title: t('catalogue.serialised'),
            dataIndex: 'serialised',
            render: (s: boolean) => (s ? <Tag color="purple">{t('catalogue.yes')}</Tag> : t('catalogue.no')),
          },
          {
            title: t('catalogue.variants'),
            key: 'variants',
            render: (_: unknown, p: Product) => p.variants.length,
          },
          {
            title: t('catalogue.price'),
            key: 'price',
            align: 'right',
            render: (_: unknown, p) => priceRange(p.variants),
          },
          { title: t('catalogue.created'), dataIndex: 'createdAt', render: (at: string) => time(at) },
        ]}
      />
      {creating && (
        <ProductForm
          onClose={() => setCreating(false)}
          onCreated={(code) => {
            setCreating(false);
            void message.success(t('catalogue.created1', { code }));
            products.reload();
            setTyped(code);
            search(code);
          }}
        />
      )}
      {importing && <ProductImport onClose={() => setImporting(false)} onImported={products.reload} />}
    </Space>
  );
}
