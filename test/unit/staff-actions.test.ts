import fs from 'node:fs';
import path from 'node:path';
import { ORDER_STATUSES } from '../../domain/order-status';
import {
  availableActions,
  CANCELLABLE_STATUSES,
  orderActionRefusal,
  staffActionsMarkdown,
  type OrderActionView,
} from '../../domain/staff-actions';

const view = (over: Partial<OrderActionView>): OrderActionView => ({
  status: 'PICKING',
  shipments: [],
  returns: [],
  ...over,
});
const names = (v: OrderActionView) => availableActions(v).map((a) => a.action);

describe('which staff action is allowed when', () => {
  it('refuses an order action outside its statuses with the reason staff see', () => {
    expect(orderActionRefusal('approve', 'SO-1', 'IN_REVIEW')).toBeUndefined();
    expect(orderActionRefusal('approve', 'SO-1', 'PICKING')).toBe('Order SO-1 is PICKING; cannot approve it now');
    expect(orderActionRefusal('shipAvailable', 'SO-1', 'IN_REVIEW')).toBe(
      'Order SO-1 is IN_REVIEW; cannot ship what is available of it now',
    );
    expect(orderActionRefusal('cancel', 'SO-1', 'SHIPPED')).toBe(
      'Order SO-1 is SHIPPED; after shipping, open a return once it is delivered instead',
    );
  });

  it('allows cancelling exactly until something has left', () => {
    for (const status of ORDER_STATUSES) {
      const allowed = orderActionRefusal('cancel', 'SO-1', status) === undefined;
      expect([status, allowed]).toEqual([status, (CANCELLABLE_STATUSES as readonly string[]).includes(status)]);
    }
  });

  it('offers review decisions in review, backorder decisions when backordered, returns once delivered', () => {
    expect(names(view({ status: 'IN_REVIEW' }))).toEqual(['approve', 'reject', 'cancel', 'edit']);
    expect(names(view({ status: 'BACKORDERED' }))).toEqual(['cancel', 'shipAvailable', 'substitute', 'edit']);
    expect(names(view({ status: 'DELIVERED' }))).toEqual(['requestReturn']);
    expect(names(view({ status: 'COMPLETED' }))).toEqual([]);
  });

  it('offers shipment actions per shipment: a split order picks one parcel while the other waits at the store', () => {
    const split = view({
      status: 'PICKING',
      shipments: [
        { seq: 1, phase: 'READY_FOR_PICKUP' },
        { seq: 2, phase: 'PICKING' },
      ],
    });
    expect(availableActions(split)).toEqual([
      { action: 'cancel' },
      { action: 'pick', shipmentSeq: 2 },
      { action: 'collect', shipmentSeq: 1 },
    ]);
  });

  it('offers an edit until a parcel is picked', () => {
    expect(names(view({ status: 'PICKING', shipments: [{ seq: 1, phase: 'PICKING' }] }))).toEqual([
      'cancel',
      'edit',
      'pick',
    ]);
    expect(names(view({ status: 'PICKING', shipments: [{ seq: 1, phase: 'PICKED' }] }))).toEqual([]);
  });

  it('offers no cancel once any parcel is on its way, and nothing while a cancellation runs', () => {
    const onItsWay = view({
      status: 'PICKING',
      shipments: [
        { seq: 1, phase: 'SHIPPED' },
        { seq: 2, phase: 'PICKING' },
      ],
    });
    expect(names(onItsWay)).toEqual(['pick']);
    expect(
      names(view({ status: 'PICKING', cancelRequested: true, shipments: [{ seq: 1, phase: 'PICKING' }] })),
    ).toEqual([]);
  });

  it('offers a delivery exception decision for the shipment that has one', () => {
    const exception = view({ status: 'SHIPPED', shipments: [{ seq: 1, phase: 'EXCEPTION' }] });
    expect(availableActions(exception)).toEqual([{ action: 'resolveException', shipmentSeq: 1 }]);
  });

  it('offers return actions by the return status, and a refund for returns only, not exchanges', () => {
    const returns: OrderActionView['returns'] = [
      { returnNumber: 'SO-1-R1', kind: 'RETURN', status: 'RECEIVED' },
      { returnNumber: 'SO-1-R2', kind: 'EXCHANGE', status: 'RECEIVED' },
      { returnNumber: 'SO-1-R3', kind: 'EXCHANGE', status: 'REQUESTED' },
    ];
    expect(availableActions(view({ status: 'AFTER_SALES', returns }))).toEqual([
      { action: 'decideReturn', returnNumber: 'SO-1-R3' },
      { action: 'refundReturn', returnNumber: 'SO-1-R1' },
    ]);
  });

  it('is documented in docs/api.md exactly as declared', () => {
    const doc = fs.readFileSync(path.join(__dirname, '../../docs/api.md'), 'utf8');
    expect(doc).toContain(staffActionsMarkdown());
  });
});
