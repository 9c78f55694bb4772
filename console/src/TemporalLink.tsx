/**
 * "Open in Temporal" on an order, for managers and admins (GET /api/session names the Web UI for them): the order's
 * workflow in the Temporal Web UI, in a new tab. The UI decrypts the history through the API's codec with this same
 * sign-in session (its codec setting "include cross-origin credentials", see docs/security.md): no second sign-in.
 */
import { Button, Tooltip } from 'antd';
import { ExportOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { orderWorkflowId } from '../../domain/order-number';
import type { SignedIn } from './types';

export function TemporalLink({ me, orderNumber }: { me: SignedIn; orderNumber: string }) {
  const { t } = useTranslation();
  if (!me.temporalUi) return null;
  const { url, namespace } = me.temporalUi;
  const search = encodeURIComponent(`WorkflowId="${orderWorkflowId(orderNumber)}"`);
  return (
    <Tooltip title={t('order.temporalHelp')}>
      <Button
        size="small"
        icon={<ExportOutlined />}
        href={`${url}/namespaces/${encodeURIComponent(namespace)}/workflows?query=${search}`}
        target="_blank"
        rel="noopener"
      >
        {t('order.openInTemporal')}
      </Button>
    </Tooltip>
  );
}
