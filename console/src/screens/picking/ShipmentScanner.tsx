/**
 * Scanning one shipment with a barcode scanner (it types the code and Enter into the focused field): one scan
 * field that keeps the focus, each unit ticked on its line, refusals shown at once with a buzz and nothing kept,
 * a phone's IMEI asked for as the next scan, and the pick sent to the API when the last unit is scanned.
 */
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { Alert, Button, Card, Input, Segmented, Space, Tag, Typography, type InputRef } from 'antd';
import { ScanOutlined, UndoOutlined } from '@ant-design/icons';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api';
import { errorText } from '../../errors';
import { Link } from '../../Link';
import { navigate } from '../../router';
import { Keys } from './Keys';
import { pickPath } from './paths';
import { PickDone, type NextStep } from './PickDone';
import { ScanLines } from './ScanLines';
import { EMPTY, isComplete, scan, targetsOf, undo, withSerial, type Refusal, type ScanState } from './scans';
import { doneSound, errorSound, okSound } from './sound';
import type { FullOrder, PickListShipment, SerialUnit } from './types';

type Feedback = { type: 'error' | 'info' | 'success'; text: string };
type Phase = { kind: 'scanning' } | { kind: 'confirming' } | { kind: 'failed'; reason: string } | { kind: 'done' };

function refusalText(t: TFunction, refusal: Refusal): string {
  switch (refusal.kind) {
    case 'unknown':
      return t('picking.refuseUnknown', { code: refusal.code });
    case 'extra':
      return t('picking.refuseExtra', { sku: refusal.sku, needed: refusal.needed });
    case 'badImei':
      return t('picking.refuseBadImei', { code: refusal.code });
    case 'repeatedImei':
      return t('picking.refuseRepeatedImei', { code: refusal.code });
    case 'barcodeForSerial':
      return t('picking.refuseBarcodeForSerial', { sku: refusal.sku });
    case 'serialUnknown':
      return t('picking.refuseSerialUnknown', { code: refusal.code });
    case 'serialElsewhere':
      return t('picking.refuseSerialElsewhere', refusal);
  }
}

const isTextField = (el: Element) => el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement;

export function ShipmentScanner({
  orderNumber,
  shipment,
  others,
  locationId,
  elsewhere,
  checkSerials,
}: {
  orderNumber: string;
  shipment: PickListShipment;
  /** The order's other shipments waiting to be picked. */
  others: PickListShipment[];
  locationId: number | undefined;
  /** Picked somewhere else than the location chosen in the queue. */
  elsewhere: boolean;
  checkSerials: boolean;
}) {
  const { t } = useTranslation();
  const targets = targetsOf(shipment);
  const [state, setState] = useState<ScanState>(EMPTY);
  const [phase, setPhase] = useState<Phase>({ kind: 'scanning' });
  const [feedback, setFeedback] = useState<Feedback>();
  const [last, setLast] = useState<string>();
  const [code, setCode] = useState('');
  const [next, setNext] = useState<NextStep>();
  const input = useRef<InputRef>(null);
  const panel = useRef<HTMLDivElement>(null);
  // Scans are handled one after the other, in the order they came, each on the state the one before left.
  const current = useRef({ state, phase });
  current.current = { state, phase };
  const chain = useRef<Promise<void>>(Promise.resolve());

  const focus = () => input.current?.focus({ preventScroll: true });
  useEffect(focus, [phase.kind]);

  const keep = (next: ScanState) => {
    current.current = { ...current.current, state: next };
    setState(next);
  };
  const refuse = (text: string) => {
    errorSound();
    setFeedback({ type: 'error', text });
  };

  const confirm = async (scans: ScanState) => {
    current.current = { ...current.current, phase: { kind: 'confirming' } };
    setPhase({ kind: 'confirming' });
    try {
      await api<FullOrder>('POST', `/orders/${encodeURIComponent(orderNumber)}/pick`, {
        shipment: shipment.seq,
        scans: scans.scans,
      });
      doneSound();
      setFeedback(undefined);
      current.current = { ...current.current, phase: { kind: 'done' } };
      setPhase({ kind: 'done' });
    } catch (err) {
      errorSound();
      const reason = errorText(err, t);
      current.current = { ...current.current, phase: { kind: 'failed', reason } };
      setPhase({ kind: 'failed', reason });
      setFeedback(undefined);
    }
  };

  /** An IMEI on the shelf: a unit of the SKU in stock here (the pick route checks it again). */
  const serialRefusal = async (serial: string, sku: string): Promise<Refusal | undefined> => {
    if (!checkSerials) return undefined;
    let unit: SerialUnit;
    try {
      unit = await api<SerialUnit>('GET', `/serials/${encodeURIComponent(serial)}`);
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) return { kind: 'serialUnknown', code: serial };
      return undefined; // cannot tell now: the pick route will
    }
    const onShelf =
      unit.sku === sku && unit.status === 'IN_STOCK' && (locationId === undefined || unit.locationId === locationId);
    return onShelf ? undefined : { kind: 'serialElsewhere', code: serial, sku, location: shipment.location };
  };

  const handle = async (raw: string) => {
    const value = raw.trim();
    const { state: now, phase: at } = current.current;
    if (at.kind === 'done') {
      if (value === '' && next) navigate(next.path);
      return;
    }
    if (at.kind === 'confirming') return;
    if (value === '') {
      if (at.kind === 'failed' && isComplete(targets, now)) await confirm(now);
      return;
    }
    const outcome = scan(targets, now, value);
    if (outcome.kind === 'refused') {
      refuse(refusalText(t, outcome.refusal));
      return;
    }
    if (outcome.kind === 'needSerial') {
      okSound();
      keep(outcome.state);
      setLast(outcome.target.barcode);
      setFeedback({ type: 'info', text: t('picking.awaitingSerial', { sku: outcome.target.sku }) });
      return;
    }
    let after: ScanState;
    if (outcome.kind === 'checkSerial') {
      const refusal = await serialRefusal(outcome.serial, outcome.target.sku);
      if (refusal) {
        refuse(refusalText(t, refusal));
        return;
      }
      after = withSerial(current.current.state, outcome.serial);
    } else {
      after = outcome.state;
    }
    const target = outcome.target;
    keep(after);
    setLast(target.barcode);
    const scanned = after.scans.filter((s) => s.barcode === target.barcode).length;
    if (at.kind === 'failed') setPhase({ kind: 'scanning' });
    if (isComplete(targets, after)) {
      await confirm(after);
      return;
    }
    okSound();
    setFeedback({ type: 'success', text: t('picking.counted', { sku: target.sku, scanned, needed: target.needed }) });
  };

  const submit = (value: string) => {
    setCode('');
    chain.current = chain.current.then(() => handle(value)).catch(() => undefined);
  };

  const undoLast = () => {
    const { state: now, phase: at } = current.current;
    if (at.kind === 'done') {
      navigate('/picking');
      return;
    }
    if (at.kind === 'confirming') return;
    const result = undo(now);
    keep(result.state);
    if (at.kind === 'failed') setPhase({ kind: 'scanning' });
    const skuOf = (barcode: string) => targets.find((x) => x.barcode === barcode)?.sku ?? barcode;
    if (result.cancelledSerial)
      setFeedback({ type: 'info', text: t('picking.serialCancelled', { sku: skuOf(result.cancelledSerial) }) });
    else if (result.undone)
      setFeedback({ type: 'info', text: t('picking.undone', { sku: skuOf(result.undone.barcode) }) });
  };

  const queueUndo = () => {
    chain.current = chain.current.then(undoLast);
  };

  const startOver = () => {
    keep(EMPTY);
    setPhase({ kind: 'scanning' });
    setFeedback({ type: 'info', text: t('picking.cleared') });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      submit(event.currentTarget.value);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      queueUndo();
    }
  };

  // The scan field keeps the focus: after a click anywhere on this screen, or when it is lost to nothing.
  const onBlur = () =>
    window.setTimeout(() => {
      const active = document.activeElement;
      if (!active || active === document.body || (panel.current?.contains(active) && !isTextField(active))) focus();
    }, 0);

  const awaiting = targets.find((x) => x.barcode === state.awaitingSerial);
  const done = phase.kind === 'done';
  const keys: [string, string][] = done
    ? [...(next ? [['Enter', next.label] as [string, string]] : []), ['Esc', t('picking.keyEscQueue')]]
    : [
        [
          'Enter',
          phase.kind === 'failed' ? `${t('picking.keyEnter')} / ${t('picking.keyEnterRetry')}` : t('picking.keyEnter'),
        ],
        ['Esc', awaiting ? t('picking.keyEscSerial') : t('picking.keyEsc')],
      ];

  return (
    <div ref={panel} onClick={() => window.setTimeout(focus, 0)}>
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <Space wrap align="center">
          <Link to="/picking">← {t('picking.backToQueue')}</Link>
          <Typography.Title level={2} style={{ margin: 0 }}>
            {orderNumber}
          </Typography.Title>
          <Tag color="blue" style={{ fontSize: 16, padding: '4px 10px' }}>
            {t('picking.shipmentAt', { seq: shipment.seq, location: shipment.locationName ?? shipment.location })}
          </Tag>
          {shipment.pickup && <Tag color="purple">{t('picking.pickupShipment')}</Tag>}
          {others.length > 0 && !done && (
            <Segmented
              value={shipment.seq}
              onChange={(seq) => navigate(pickPath(orderNumber, seq))}
              options={[shipment, ...others]
                .sort((a, b) => a.seq - b.seq)
                .map((s) => ({ value: s.seq, label: `#${s.seq} · ${s.location}` }))}
            />
          )}
        </Space>
        {elsewhere && (
          <Alert type="warning" showIcon title={t('picking.otherLocation', { location: shipment.location })} />
        )}
        <Card size="small">
          <Space orientation="vertical" style={{ width: '100%' }}>
            <div style={{ fontSize: 18, fontWeight: 600 }}>
              <ScanOutlined aria-hidden /> <label htmlFor="pick-scan">{t('picking.scanLabel')}</label>
            </div>
            <Input
              id="pick-scan"
              ref={input}
              autoFocus
              autoComplete="off"
              spellCheck={false}
              size="large"
              value={code}
              onChange={(event) => setCode(event.target.value)}
              onKeyDown={onKeyDown}
              onBlur={onBlur}
              placeholder={
                awaiting ? t('picking.serialPlaceholder', { sku: awaiting.sku }) : t('picking.scanPlaceholder')
              }
              style={{
                fontSize: 28,
                fontFamily: 'monospace',
                borderWidth: 2,
                borderColor: awaiting ? '#722ed1' : undefined,
              }}
            />
            <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
              <Keys keys={keys} label={t('picking.keys')} />
              {!done && (
                <Space>
                  <Button icon={<UndoOutlined />} onClick={queueUndo}>
                    {t('picking.undo')} (Esc)
                  </Button>
                  <Button
                    onClick={startOver}
                    disabled={phase.kind === 'confirming' || (state.scans.length === 0 && !awaiting)}
                  >
                    {t('picking.startOver')}
                  </Button>
                </Space>
              )}
            </Space>
          </Space>
        </Card>
        <div aria-live="assertive">
          {feedback?.type === 'error' && (
            <Alert
              role="alert"
              data-testid="scan-refusal"
              type="error"
              showIcon
              title={<span style={{ fontSize: 20, fontWeight: 600 }}>{t('picking.refusedTitle')}</span>}
              description={<span style={{ fontSize: 18 }}>{feedback.text}</span>}
            />
          )}
          {feedback && feedback.type !== 'error' && (
            <Alert
              data-testid="scan-feedback"
              type={feedback.type}
              showIcon
              title={<span style={{ fontSize: 18 }}>{feedback.text}</span>}
            />
          )}
          {phase.kind === 'confirming' && <Alert type="info" showIcon title={t('picking.confirming')} />}
          {phase.kind === 'failed' && (
            <Alert
              role="alert"
              data-testid="pick-refused"
              type="error"
              showIcon
              title={<span style={{ fontSize: 18 }}>{t('picking.confirmFailed', { reason: phase.reason })}</span>}
              description={t('picking.confirmFailedHelp')}
            />
          )}
        </div>
        {done && <PickDone orderNumber={orderNumber} shipment={shipment} onNext={setNext} />}
        <ScanLines targets={targets} state={state} last={last} />
      </Space>
    </div>
  );
}
