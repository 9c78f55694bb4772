import { Card, Timeline } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { time } from './format';
import type { TimelineEntry } from './types';

const COLOURS: Record<TimelineEntry['kind'], string> = {
  status: 'blue',
  staff: 'green',
  tracking: 'cyan',
  email: 'gray',
  warning: 'red',
};

/** The audit rows' actions (workflows/order/*.ts, `side.audit`) → their words in the `timeline.staff` section. */
const STAFF_ACTIONS: Record<string, string> = {
  approve: 'approve',
  reject: 'reject',
  cancel: 'cancel',
  'cancel (customer request)': 'cancelCustomer',
  'ship available': 'shipAvailable',
  substitute: 'substitute',
  pick: 'pick',
  collect: 'collect',
  'resolve exception: RESHIP': 'resolveReship',
  'resolve exception: REFUND': 'resolveRefund',
  'resolve exception: RETURN_TO_STOCK': 'resolveReturnToStock',
  'open return': 'openReturn',
  'open exchange': 'openExchange',
  'approve return': 'approveReturn',
  'reject return': 'rejectReturn',
  'receive return': 'receiveReturn',
  'refund return': 'refundReturn',
  'edit order': 'editOrder',
};

type Entry = TimelineEntry & { details?: Record<string, unknown> | null };

const num = (value: unknown) => (typeof value === 'number' ? value : undefined);
const str = (value: unknown) => (typeof value === 'string' ? value : undefined);

/** What a staff action was done on: its shipment, units, line and SKU, or return. */
function staffDetails(details: Entry['details'], t: TFunction): string[] {
  if (!details || typeof details !== 'object') return [];
  const parts: string[] = [];
  const seq = num(details.shipment);
  if (seq !== undefined) parts.push(t('timeline.detail.shipment', { seq }));
  const units = num(details.units);
  if (units !== undefined) parts.push(t('timeline.detail.units', { count: units }));
  const lineNo = num(details.lineNo);
  const sku = str(details.sku);
  if (lineNo !== undefined && sku) parts.push(t('timeline.detail.line', { lineNo, sku }));
  const returnNumber = str(details.returnNumber);
  if (returnNumber) parts.push(t('timeline.detail.returnNumber', { returnNumber }));
  // An edit (activities/order-edits.ts): which fields changed; their values are on the order itself.
  if (Array.isArray(details.changed)) {
    const fields = details.changed.map((f) => t(`timeline.field.${String(f)}`, { defaultValue: String(f) }));
    parts.push(t('timeline.detail.changed', { fields: fields.join(t('timeline.separator')) }));
  }
  return parts;
}

/** One entry in words: raw names only where the console does not know them yet. */
export function describe(e: Entry, t: TFunction): string {
  switch (e.kind) {
    case 'status':
      return e.status ? t(`status.${e.status}`, { defaultValue: e.status }) : '';
    case 'staff': {
      const key = e.action ? STAFF_ACTIONS[e.action] : undefined;
      const what = key ? t(`timeline.staff.${key}`) : (e.action ?? '');
      const extra = staffDetails(e.details, t);
      const text = [
        what,
        extra.length ? t('timeline.details', { list: extra.join(t('timeline.separator')) }) : '',
        e.actor ? `· ${t('timeline.by', { actor: e.actor })}` : '',
      ]
        .filter(Boolean)
        .join(' ');
      return e.reason ? `${text}: ${e.reason}` : text;
    }
    case 'tracking': {
      const status = e.status ? t(`timeline.tracking.${e.status}`, { defaultValue: e.status }) : '';
      const seq = num(e.details?.shipment);
      return seq === undefined ? status : t('timeline.trackingOf', { seq, status });
    }
    case 'email': {
      const what = e.action ? t(`timeline.email.${e.action}`, { defaultValue: e.action }) : '';
      return `✉ ${t('timeline.emailSent', { what })}`;
    }
    case 'warning': {
      const [kind, change] = (e.action ?? '').split(' ');
      const stage = e.status ? t(`timeline.stage.${e.status}`, { defaultValue: e.status }) : '';
      const name = t(`timeline.warning.${kind}`, { defaultValue: kind });
      const what = stage ? `${name} (${stage})` : name;
      const text = t(change === 'cleared' ? 'timeline.warningCleared' : 'timeline.warningOpened', { what });
      return e.reason ? `${text}: ${e.reason}` : text;
    }
    default:
      return [e.action, e.status].filter(Boolean).join(' ');
  }
}

/** Status changes, staff actions, tracking, emails and warnings, oldest first. */
export function OrderTimeline({ entries }: { entries: TimelineEntry[] }) {
  const { t } = useTranslation();
  return (
    <Card title={t('order.timeline')} size="small">
      <Timeline
        items={(entries as Entry[]).map((e) => ({
          color: COLOURS[e.kind],
          content: (
            <>
              <div>{describe(e, t)}</div>
              <div style={{ color: '#888', fontSize: 12 }}>{time(e.at)}</div>
            </>
          ),
        }))}
      />
    </Card>
  );
}
