/** Products from a CSV file (POST /api/products/import): all rows or none, each bad row named. */
import { useState } from 'react';
import { Alert, Button, Modal, Table, Typography, Upload } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { ApiError, apiText } from '../../api';
import { errorText } from '../../errors';

interface RowProblem {
  row: number;
  column?: string;
  message: string;
}

export function ProductImport({ onClose, onImported }: { onClose: () => void; onImported: () => void }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<{ products: number; variants: number }>();
  const [error, setError] = useState<string>();
  const [rows, setRows] = useState<RowProblem[]>([]);

  const send = async (file: File) => {
    setBusy(true);
    setDone(undefined);
    setError(undefined);
    setRows([]);
    try {
      const result = await apiText<{ products: number; variants: number }>('/products/import', await file.text());
      setDone(result);
      onImported();
    } catch (err) {
      setError(errorText(err, t));
      const details = err instanceof ApiError ? (err.details as { rows?: RowProblem[] } | null) : null;
      setRows(Array.isArray(details?.rows) ? details.rows : []);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal open width={720} title={t('catalogue.importCsv')} footer={null} onCancel={onClose} destroyOnHidden>
      <Typography.Paragraph type="secondary">{t('catalogue.importHelp')}</Typography.Paragraph>
      <Upload
        accept=".csv,text/csv"
        showUploadList={false}
        beforeUpload={(file) => {
          void send(file);
          return false;
        }}
      >
        <Button icon={<UploadOutlined />} loading={busy} type="primary">
          {t('catalogue.importCsv')}
        </Button>
      </Upload>
      {done && (
        <Alert
          style={{ marginTop: 16 }}
          type="success"
          showIcon
          message={t('catalogue.imported', { products: done.products, variants: done.variants })}
        />
      )}
      {error && (
        <Alert
          style={{ marginTop: 16 }}
          type="error"
          showIcon
          message={rows.length ? t('catalogue.importFailed') : error}
          description={rows.length ? error : undefined}
        />
      )}
      {rows.length > 0 && (
        <Table<RowProblem>
          style={{ marginTop: 16 }}
          size="small"
          rowKey={(r) => `${r.row}:${r.column ?? ''}:${r.message}`}
          dataSource={rows}
          pagination={rows.length > 20 ? { pageSize: 20 } : false}
          columns={[
            { title: t('catalogue.row'), dataIndex: 'row', width: 70 },
            { title: t('catalogue.column'), dataIndex: 'column', width: 140 },
            { title: t('catalogue.problem'), dataIndex: 'message' },
          ]}
        />
      )}
    </Modal>
  );
}
