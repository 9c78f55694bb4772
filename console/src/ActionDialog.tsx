/**
 * Asks what an action needs: approve and ship-available an optional note, reject and cancel a reason, substitute a
 * line and the new SKU, a delivery exception what to do with the parcel. What the API refuses shows in the dialog.
 */
import { useRef, useState } from 'react';
import { Alert, AutoComplete, Checkbox, Form, Input, Modal, Radio, Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorText } from './errors';
import type { OrderLine } from './types';
import { useApi } from './useApi';

export type DialogAction = 'approve' | 'reject' | 'cancel' | 'shipAvailable' | 'substitute' | 'resolveException';

/** Where each action is posted, under /api/orders/<orderNumber>. */
export const DIALOG_PATHS: Record<DialogAction, (shipmentSeq?: number) => string> = {
  approve: () => '/approve',
  reject: () => '/reject',
  cancel: () => '/cancel',
  shipAvailable: () => '/ship-available',
  substitute: () => '/substitute',
  resolveException: (seq) => `/shipments/${seq ?? 1}/resolve`,
};

const RESOLUTIONS = ['RESHIP', 'REFUND', 'RETURN_TO_STOCK'] as const;

interface Values {
  text?: string;
  customerRequest?: boolean;
  lineNo?: number;
  sku?: string;
  resolution?: (typeof RESOLUTIONS)[number];
}

/** The SKUs of the catalogue, offered while typing a substitute. */
function useSkus(enabled: boolean): string[] {
  const products = useApi<{ products: { variants: { sku: string }[] }[] }>(enabled ? '/products' : null);
  return (products.data?.products ?? []).flatMap((p) => p.variants.map((v) => v.sku));
}

export function ActionDialog({
  action,
  shipmentSeq,
  lines = [],
  mayReadCatalogue = false,
  onCancel,
  onSubmit,
}: {
  action: DialogAction;
  shipmentSeq?: number;
  lines?: OrderLine[];
  mayReadCatalogue?: boolean;
  onCancel: () => void;
  onSubmit: (action: DialogAction, body: Record<string, unknown>) => Promise<void>;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  // Set before the form is checked: a second OK (or Enter) in that moment must not send the action twice.
  const sending = useRef(false);
  const [error, setError] = useState<string>();
  const needsReason = action === 'reject' || action === 'cancel';
  const danger = needsReason;
  const skus = useSkus(action === 'substitute' && mayReadCatalogue);
  const typedSku = Form.useWatch('sku', form) ?? '';
  const newWords = action === 'shipAvailable' || action === 'substitute' || action === 'resolveException';
  const title = newWords
    ? action === 'resolveException'
      ? t('orderActions.resolveExceptionOf', { seq: shipmentSeq })
      : t(`orderActions.${action}`)
    : t(`action.${action}`);

  const ok = async () => {
    if (sending.current) return;
    sending.current = true;
    let values: Values;
    try {
      values = await form.validateFields();
    } catch {
      sending.current = false; // the form shows what is missing
      return;
    }
    const text = values.text?.trim();
    const note = text ? { note: text } : {};
    const body: Record<string, unknown> =
      action === 'approve' || action === 'shipAvailable'
        ? note
        : action === 'reject'
          ? { reason: text }
          : action === 'cancel'
            ? { reason: text, customerRequest: values.customerRequest ?? false }
            : action === 'substitute'
              ? { lineNo: values.lineNo, sku: values.sku?.trim(), ...note }
              : { action: values.resolution, ...note };
    setBusy(true);
    setError(undefined);
    try {
      await onSubmit(action, body);
    } catch (err) {
      setError(errorText(err, t));
      setBusy(false);
      sending.current = false;
    }
  };

  return (
    <Modal
      open
      title={title}
      okText={t('action.confirm')}
      cancelText={t('action.close')}
      okButtonProps={{ danger, loading: busy }}
      onOk={() => void ok()}
      onCancel={onCancel}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
      {action === 'shipAvailable' && <Typography.Paragraph>{t('orderActions.shipAvailableHelp')}</Typography.Paragraph>}
      {action === 'substitute' && <Typography.Paragraph>{t('orderActions.substituteHelp')}</Typography.Paragraph>}
      {action === 'resolveException' && (
        <Typography.Paragraph>{t('orderActions.resolveHelp', { seq: shipmentSeq })}</Typography.Paragraph>
      )}
      <Form form={form} layout="vertical" requiredMark={false}>
        {action === 'substitute' && (
          <>
            <Form.Item
              name="lineNo"
              label={t('orderActions.line')}
              rules={[{ required: true, message: t('orderActions.lineRequired') }]}
              initialValue={lines.length === 1 ? lines[0].lineNo : undefined}
            >
              <Select
                options={lines.map((l) => ({
                  value: l.lineNo,
                  label: t('orderActions.lineText', {
                    lineNo: l.lineNo,
                    sku: l.sku,
                    quantity: l.quantity - l.cancelledQuantity,
                  }),
                }))}
              />
            </Form.Item>
            <Form.Item
              name="sku"
              label={t('orderActions.newSku')}
              rules={[{ required: true, whitespace: true, message: t('orderActions.skuRequired') }]}
            >
              <AutoComplete
                options={skus
                  .filter((sku) => typedSku && sku.toLowerCase().includes(String(typedSku).toLowerCase()))
                  .slice(0, 20)
                  .map((sku) => ({ value: sku }))}
              >
                <Input maxLength={64} />
              </AutoComplete>
            </Form.Item>
          </>
        )}
        {action === 'resolveException' && (
          <Form.Item
            name="resolution"
            label={t('orderActions.resolution')}
            rules={[{ required: true, message: t('orderActions.resolutionRequired') }]}
          >
            <Radio.Group style={{ display: 'flex', flexDirection: 'column', gap: 8 }}>
              {RESOLUTIONS.map((r) => (
                <Radio key={r} value={r}>
                  {t(`orderActions.${r}`)}
                </Radio>
              ))}
            </Radio.Group>
          </Form.Item>
        )}
        <Form.Item
          name="text"
          label={needsReason ? t('action.reason') : t('action.note')}
          rules={needsReason ? [{ required: true, whitespace: true, message: t('action.reasonRequired') }] : []}
        >
          <Input.TextArea rows={3} maxLength={500} autoFocus={action !== 'substitute'} />
        </Form.Item>
        {action === 'cancel' && (
          <Form.Item name="customerRequest" valuePropName="checked">
            <Checkbox>{t('action.customerRequest')}</Checkbox>
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
