/**
 * A button for every action offered now (GET …/actions): approve, reject, cancel, ship-available, substitute and a
 * delivery exception ask in a dialog, an edit in its own; collect asks to confirm; pick and the returns open their
 * own screens.
 */
import { useState, type MouseEvent } from 'react';
import { Alert, App, Button, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from './api';
import { errorText } from './errors';
import { ActionDialog, DIALOG_PATHS, type DialogAction } from './ActionDialog';
import { OrderEditDialog } from './OrderEditDialog';
import { navigate } from './router';
import type { OfferedAction, OrderActions, OrderView } from './types';
import { send } from './typed-api';

const DIALOGS: readonly string[] = ['approve', 'reject', 'cancel', 'shipAvailable', 'substitute', 'resolveException'];
const DANGER: readonly string[] = ['reject', 'cancel'];

/** A button that moves within the console (an <a>, so it opens in a new tab too). */
function LinkButton({ to, primary, children }: { to: string; primary?: boolean; children: string }) {
  const onClick = (event: MouseEvent<HTMLElement>) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    navigate(to);
  };
  return (
    <Button href={to} type={primary ? 'primary' : 'default'} onClick={onClick}>
      {children}
    </Button>
  );
}

/** One button per action, and one per shipment or return it is offered for; pick and collect once per order. */
function distinct(actions: OfferedAction[]): OfferedAction[] {
  const seen = new Set<string>();
  return actions.filter((a) => {
    const key =
      a.action === 'pick' || a.action === 'collect'
        ? a.action
        : `${a.action}:${a.shipmentSeq ?? ''}:${a.returnNumber ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function OrderActionsBar({
  order: view,
  offered,
  mayReadCatalogue = false,
  onDone,
}: {
  order: OrderView;
  offered: OrderActions | undefined;
  mayReadCatalogue?: boolean;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const { modal, message } = App.useApp();
  const [open, setOpen] = useState<{ action: DialogAction; shipmentSeq?: number }>();
  const [editing, setEditing] = useState(false);
  const { orderNumber, lines } = view;
  const [error, setError] = useState<string>();
  if (!offered) return null;
  const order = encodeURIComponent(orderNumber);
  const actions = distinct(offered.actions);

  /** Posts the dialog's body; a refusal stays in the dialog (which shows it) and the dialog stays open. */
  const submit = async (action: DialogAction, body: Record<string, unknown>) => {
    await api('POST', `/orders/${order}${DIALOG_PATHS[action](open?.shipmentSeq)}`, body);
    setOpen(undefined);
    onDone();
  };

  const collect = () =>
    modal.confirm({
      title: t('orderActions.collectTitle', { orderNumber }),
      content: t('orderActions.collectHelp'),
      okText: t('action.confirm'),
      cancelText: t('action.close'),
      onOk: async () => {
        setError(undefined);
        try {
          await send('post', '/orders/{orderNumber}/collect', { orderNumber }, {});
          void message.success(t('orderActions.collected'));
        } catch (err) {
          setError(errorText(err, t));
        }
        onDone();
      },
    });

  const button = (a: OfferedAction) => {
    const key = `${a.action}:${a.shipmentSeq ?? ''}:${a.returnNumber ?? ''}`;
    if (DIALOGS.includes(a.action)) {
      const label =
        a.action === 'resolveException'
          ? t('orderActions.resolveExceptionOf', { seq: a.shipmentSeq })
          : a.action === 'shipAvailable' || a.action === 'substitute'
            ? t(`orderActions.${a.action}`)
            : t(`action.${a.action}`);
      return (
        <Button
          key={key}
          type={a.action === 'approve' || a.action === 'resolveException' ? 'primary' : 'default'}
          danger={DANGER.includes(a.action)}
          onClick={() => setOpen({ action: a.action as DialogAction, shipmentSeq: a.shipmentSeq })}
        >
          {label}
        </Button>
      );
    }
    switch (a.action) {
      case 'collect':
        return (
          <Button key={key} type="primary" onClick={() => void collect()}>
            {t('orderActions.collect')}
          </Button>
        );
      case 'pick':
        return (
          <LinkButton
            key={key}
            to={`/picking/${order}${a.shipmentSeq === undefined ? '' : `?shipment=${a.shipmentSeq}`}`}
            primary
          >
            {t('orderActions.pick')}
          </LinkButton>
        );
      case 'edit':
        return (
          <Button key={key} onClick={() => setEditing(true)}>
            {t('orderEdit.button')}
          </Button>
        );
      case 'requestReturn':
        return (
          <LinkButton key={key} to={`/returns/new?order=${order}`}>
            {t('orderActions.requestReturn')}
          </LinkButton>
        );
      case 'decideReturn':
      case 'receiveReturn':
      case 'refundReturn':
        return (
          <LinkButton key={key} to={`/returns/${encodeURIComponent(a.returnNumber ?? '')}`} primary>
            {t(`orderActions.${a.action}`, { returnNumber: a.returnNumber })}
          </LinkButton>
        );
      default:
        return null;
    }
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {error && <Alert type="error" showIcon message={error} closable onClose={() => setError(undefined)} />}
      {actions.length === 0 && <Typography.Text type="secondary">{t('order.noActions')}</Typography.Text>}
      <Space wrap>{actions.map(button)}</Space>
      {editing && (
        <OrderEditDialog
          order={view}
          onCancel={() => setEditing(false)}
          onSaved={() => {
            setEditing(false);
            void message.success(t('orderEdit.saved', { orderNumber }));
            onDone();
          }}
        />
      )}
      {open && (
        <ActionDialog
          action={open.action}
          shipmentSeq={open.shipmentSeq}
          lines={lines.filter((l) => l.quantity > l.cancelledQuantity)}
          mayReadCatalogue={mayReadCatalogue}
          onCancel={() => setOpen(undefined)}
          onSubmit={submit}
        />
      )}
    </Space>
  );
}
