import { orderEditSchema, changesNothing } from '../../domain/order-edit-input';
import {
  applyLineEdits,
  editDiff,
  editedOrder,
  editNeedsReview,
  editRefusal,
  reasonsAddedBy,
  type EditableOrder,
} from '../../domain/order-edits';

const lines = [
  { lineNo: 1, sku: 'TEE-M', quantity: 2, unitPriceMinor: 9900 },
  { lineNo: 2, sku: 'CAP', quantity: 1, unitPriceMinor: 4900 },
];
const prices = new Map([
  ['TEE-L', 10900],
  ['TEE-M', 9900],
  ['CAP', 4900],
]);
const order: EditableOrder = {
  customerName: '王芳',
  customerEmail: 'wf@example.cn',
  customerPhone: '13912345678',
  shippingAddress: { line1: '南京路 1 号', city: '上海', postalCode: '200001', country: 'CN' },
  note: null,
  lines,
  totalMinor: 24700,
};
const waiting = { status: 'IN_REVIEW' as const, shipments: [], reviewDecided: false, cancelRequested: false };

describe('when an order may be edited', () => {
  it('takes address, contact and note until a parcel is picked, then refuses', () => {
    const address = { shippingAddress: order.shippingAddress } as never;
    expect(editRefusal(address, waiting, 'SO-1')).toBeUndefined();
    const picking = {
      ...waiting,
      status: 'PICKING' as const,
      reviewDecided: true,
      shipments: [{ phase: 'PICKING' as const }],
    };
    expect(editRefusal(address, picking, 'SO-1')).toBeUndefined();
    expect(editRefusal(address, { ...picking, shipments: [{ phase: 'PICKED' as const }] }, 'SO-1')).toMatch(
      /once a parcel is picked/,
    );
    expect(editRefusal(address, { ...picking, status: 'SHIPPED' }, 'SO-1')).toMatch(/can no longer be edited/);
    expect(editRefusal(address, { ...waiting, cancelRequested: true }, 'SO-1')).toMatch(/being cancelled/);
  });

  it('takes lines only until review has decided', () => {
    const edit = { lines: [{ lineNo: 1, quantity: 1 }] };
    expect(editRefusal(edit, waiting, 'SO-1')).toBeUndefined();
    expect(editRefusal(edit, { ...waiting, reviewDecided: true }, 'SO-1')).toMatch(/lines can no longer change/);
    expect(editRefusal(edit, { ...waiting, status: 'BACKORDERED', reviewDecided: true }, 'SO-1')).toMatch(
      /lines can no longer change/,
    );
  });
});

describe('the lines an edit leaves', () => {
  it('changes quantity, re-prices a new SKU from the catalogue, removes a line', () => {
    const result = applyLineEdits(
      lines,
      [
        { lineNo: 1, sku: 'TEE-L', quantity: 1 },
        { lineNo: 2, remove: true },
      ],
      prices,
    );
    expect(result).toEqual({
      ok: true,
      lines: [{ lineNo: 1, sku: 'TEE-L', quantity: 1, unitPriceMinor: 10900 }],
      removed: [2],
    });
  });

  it('a line that keeps its SKU keeps the price it was sold at', () => {
    const cheaper = new Map([['TEE-M', 5000]]);
    const result = applyLineEdits(lines, [{ lineNo: 1, quantity: 3 }], cheaper);
    expect(result.ok && result.lines[0]).toEqual({ lineNo: 1, sku: 'TEE-M', quantity: 3, unitPriceMinor: 9900 });
  });

  it('names every problem: an unknown line or SKU, a line edited twice, no line left, two lines of one SKU', () => {
    expect(
      applyLineEdits(
        lines,
        [
          { lineNo: 9, quantity: 1 },
          { lineNo: 1, sku: 'NOPE' },
        ],
        prices,
      ),
    ).toEqual({
      ok: false,
      problems: ['The order has no line 9', 'Unknown SKU NOPE'],
    });
    expect(
      applyLineEdits(
        lines,
        [
          { lineNo: 1, quantity: 1 },
          { lineNo: 1, quantity: 2 },
        ],
        prices,
      ),
    ).toMatchObject({
      ok: false,
      problems: ['Line 1 is edited twice'],
    });
    expect(
      applyLineEdits(
        lines,
        [
          { lineNo: 1, remove: true },
          { lineNo: 2, remove: true },
        ],
        prices,
      ),
    ).toMatchObject({
      ok: false,
      problems: ['An order keeps at least one line; cancel the order instead'],
    });
    expect(applyLineEdits(lines, [{ lineNo: 2, sku: 'TEE-M' }], prices)).toMatchObject({
      ok: false,
      problems: ['Two lines would be TEE-M: change the quantity instead'],
    });
  });
});

describe('what an edit changes', () => {
  it('re-totals edited lines, and keeps what it does not name; null takes an email off', () => {
    const edit = { customer: { email: null }, lines: [{ lineNo: 2, remove: true as const }] };
    const result = applyLineEdits(lines, edit.lines, prices);
    const after = editedOrder(order, edit, result.ok ? result.lines : []);
    expect(after).toMatchObject({
      customerName: '王芳',
      customerEmail: null,
      customerPhone: '13912345678',
      totalMinor: 19800,
    });
    expect(editDiff(order, after)).toEqual({
      changed: ['customerEmail', 'lines', 'totalMinor'],
      before: { customerEmail: 'wf@example.cn', lines, totalMinor: 24700 },
      after: { customerEmail: null, lines: [lines[0]], totalMinor: 19800 },
    });
  });

  it('review looks again at everything but the note, and only reasons the order did not have count once it passed', () => {
    expect(editNeedsReview({ note: 'gift wrap' })).toBe(false);
    expect(editNeedsReview({ shippingAddress: order.shippingAddress } as never)).toBe(true);
    const had = [{ code: 'AMOUNT_OVER_LIMIT', message: 'big' }];
    expect(reasonsAddedBy(had, [...had, { code: 'NO_DOOR_NUMBER', message: 'no door' }])).toEqual([
      { code: 'NO_DOOR_NUMBER', message: 'no door' },
    ]);
    expect(reasonsAddedBy(had, had)).toEqual([]);
  });
});

describe('the edit body', () => {
  it('refuses unknown fields and a line edit that says nothing; a body with only a reason changes nothing', () => {
    expect(orderEditSchema.safeParse({ status: 'SHIPPED' }).success).toBe(false);
    expect(orderEditSchema.safeParse({ lines: [{ lineNo: 1 }] }).success).toBe(false);
    expect(orderEditSchema.safeParse({ lines: [{ lineNo: 1, remove: true, quantity: 2 }] }).success).toBe(false);
    expect(orderEditSchema.safeParse({ customer: {} }).success).toBe(false);
    expect(changesNothing(orderEditSchema.parse({ reason: 'called' }))).toBe(true);
    expect(changesNothing(orderEditSchema.parse({ note: '' }))).toBe(false);
  });
});
