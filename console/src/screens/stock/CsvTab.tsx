/**
 * The stock as CSV: a download of GET /api/inventory.csv (the session cookie goes with the link) and, for a role
 * that may adjust stock, an import (POST /api/inventory/import, text/csv). The import is all or nothing: with any
 * bad row the API names each one (row, column, what is wrong) and changes nothing.
 */
import { useRef, useState, type ChangeEvent } from 'react';
import { Alert, Button, Card, Input, Space, Table, Typography } from 'antd';
import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { ApiError, apiText } from '../../api';
import { errorText } from '../../errors';
import type { SignedIn } from '../../types';

interface RowError {
  row: number;
  column?: string;
  message: string;
}

type Outcome = { ok: true; rows: number; adjusted: number } | { ok: false; message: string; rows: RowError[] };

/** The bad rows of a 422 CSV_ROWS_INVALID (`details.rows`), or none. */
function badRows(err: unknown): RowError[] {
  if (!(err instanceof ApiError) || err.code !== 'CSV_ROWS_INVALID') return [];
  const rows = (err.details as { rows?: unknown } | null)?.rows;
  return Array.isArray(rows) ? (rows as RowError[]) : [];
}

export function CsvTab({ me }: { me: SignedIn }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [fileName, setFileName] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>();
  const mayImport = me.permissions.includes('inventory.adjust');
  const picker = useRef<HTMLInputElement>(null);

  const load = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (!file) return;
    setFileName(file.name);
    setOutcome(undefined);
    void file.text().then(setText);
    event.target.value = '';
  };

  const submit = async () => {
    setOutcome(undefined);
    setBusy(true);
    try {
      const answer = await apiText<{ rows: number; adjusted: number }>('/inventory/import', text);
      setOutcome({ ok: true, ...answer });
    } catch (err) {
      setOutcome({ ok: false, message: errorText(err, t), rows: badRows(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card size="small" title={t('stock.exportTitle')}>
        <Typography.Paragraph type="secondary">{t('stock.exportHelp')}</Typography.Paragraph>
        <Button icon={<DownloadOutlined />} href="/api/inventory.csv" download="inventory.csv">
          {t('stock.download')}
        </Button>
      </Card>
      {mayImport && (
        <Card size="small" title={t('stock.importTitle')}>
          <Typography.Paragraph type="secondary">{t('stock.importHelp')}</Typography.Paragraph>
          <Space direction="vertical" style={{ width: '100%' }}>
            <Space wrap>
              <input
                ref={picker}
                type="file"
                accept=".csv,text/csv"
                aria-label={t('stock.chooseFile')}
                onChange={load}
                style={{ display: 'none' }}
                data-testid="csv-file"
              />
              <Button icon={<UploadOutlined />} onClick={() => picker.current?.click()}>
                {t('stock.chooseFile')}
              </Button>
              {fileName && <Typography.Text type="secondary">{fileName}</Typography.Text>}
            </Space>
            <Input.TextArea
              aria-label={t('stock.csvText')}
              rows={8}
              value={text}
              placeholder="sku,location,on_hand,safety_stock"
              onChange={(e) => setText(e.target.value)}
              style={{ fontFamily: 'monospace' }}
            />
            <Button type="primary" loading={busy} disabled={!text.trim()} onClick={() => void submit()}>
              {t('stock.import')}
            </Button>
            {outcome?.ok === true && (
              <Alert
                type="success"
                showIcon
                message={t('stock.imported', { rows: outcome.rows, adjusted: outcome.adjusted })}
              />
            )}
            {outcome?.ok === false && (
              <Alert
                type="error"
                showIcon
                message={outcome.rows.length ? t('stock.badRows') : outcome.message}
                description={
                  outcome.rows.length > 0 && (
                    <Table<RowError>
                      data-testid="csv-bad-rows"
                      rowKey={(r) => `${r.row}:${r.column ?? ''}:${r.message}`}
                      size="small"
                      pagination={false}
                      dataSource={outcome.rows}
                      columns={[
                        {
                          title: t('stock.row'),
                          dataIndex: 'row',
                          width: 80,
                          render: (row: number) => (row === 0 ? t('stock.wholeFile') : row),
                        },
                        { title: t('stock.column'), dataIndex: 'column', width: 140 },
                        { title: t('stock.problem'), dataIndex: 'message' },
                      ]}
                    />
                  )
                }
              />
            )}
          </Space>
        </Card>
      )}
    </Space>
  );
}
