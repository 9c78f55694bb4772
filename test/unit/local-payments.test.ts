/**
 * The local payment stand-in keeps a provider's books (payments/local.ts): it confirms only payments it captured,
 * and never pays back more than a capture took, in total across all its refunds, even when another process keeps
 * the same books.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LocalPaymentAdapter, localPaymentFiles, readLocalRefunds } from '../../payments/local';
import { RefundRefusedError, type RefundRequest } from '../../payments/types';

const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shop-oms-payments-'));
afterAll(() => fs.rmSync(tmpDir, { recursive: true, force: true }));

let n = 0;
const books = () => localPaymentFiles(path.join(tmpDir, `books-${++n}`));
const refundOf = (captureRef: string, amountMinor: number, key: string): RefundRequest => ({
  idempotencyKey: key,
  captureRef,
  orderNumber: 'SO-20261202-000001',
  amountMinor,
  currency: 'CNY',
  reason: 'test',
});

describe('the local payment stand-in', () => {
  test('confirms the payments it captured, and no other', async () => {
    const payments = new LocalPaymentAdapter(books());
    const capture = await payments.capture({ amountMinor: 19_800, currency: 'CNY', method: 'cash' });
    expect(capture.reference).toMatch(/^LPC-[0-9A-F]{16}$/);
    expect(await payments.verify(capture.reference)).toMatchObject({ amountMinor: 19_800, method: 'cash' });
    expect(await payments.verify('LPC-MADE-UP-BY-A-CLERK')).toBeUndefined();
    // A reference is taken once.
    await expect(
      payments.capture({ amountMinor: 1, currency: 'CNY', method: 'card', reference: capture.reference }),
    ).rejects.toThrow(/already captured/);
  });

  test('refuses a refund exceeding its capture, and one of a capture it never took', async () => {
    const files = books();
    const payments = new LocalPaymentAdapter(files);
    const { reference } = await payments.capture({ amountMinor: 10_000, currency: 'CNY', method: 'card' });
    await expect(payments.refund(refundOf(reference, 10_001, 'too-much'))).rejects.toThrow(RefundRefusedError);
    await expect(payments.refund(refundOf('LPC-NEVER-TAKEN', 100, 'never'))).rejects.toThrow(
      'no payment LPC-NEVER-TAKEN was captured',
    );
    await expect(payments.refund({ ...refundOf(reference, 100, 'usd'), currency: 'USD' })).rejects.toThrow(
      RefundRefusedError,
    );
    expect(readLocalRefunds(files.refunds)).toEqual([]);
    expect(payments.remainingMinor(reference)).toBe(10_000);
  });

  test('two refunds that together exceed the capture: the second is refused; a retry of the first pays nothing more', async () => {
    const files = books();
    const payments = new LocalPaymentAdapter(files);
    const { reference } = await payments.capture({ amountMinor: 10_000, currency: 'CNY', method: 'card' });
    const first = await payments.refund(refundOf(reference, 6_000, 'return-1'));
    await expect(payments.refund(refundOf(reference, 4_001, 'return-2'))).rejects.toThrow(
      `refund of 4001 exceeds the 4000 left of payment ${reference}`,
    );
    expect(await payments.refund(refundOf(reference, 6_000, 'return-1'))).toEqual(first);
    await payments.refund(refundOf(reference, 4_000, 'return-3'));
    expect(payments.remainingMinor(reference)).toBe(0);
    expect(readLocalRefunds(files.refunds).map((r) => [r.idempotencyKey, r.captureRef, r.amountMinor])).toEqual([
      ['return-1', reference, 6_000],
      ['return-3', reference, 4_000],
    ]);
  });

  test('a refund naming no capture (an order paid before captures were kept) is paid as before, once per key', async () => {
    const files = books();
    const payments = new LocalPaymentAdapter(files);
    const { captureRef: _, ...legacy } = refundOf('unused', 10_000, 'SO-20261101-000001:cancel');
    const first = await payments.refund(legacy);
    expect(await payments.refund(legacy)).toEqual(first);
    expect(readLocalRefunds(files.refunds)).toMatchObject([{ amountMinor: 10_000, providerRef: first.providerRef }]);
    expect(readLocalRefunds(files.refunds)[0].captureRef).toBeUndefined();
  });

  test('another process on the same books sees its captures and counts its refunds', async () => {
    const files = books();
    const till = new LocalPaymentAdapter(files);
    const worker = new LocalPaymentAdapter(files);
    const { reference } = await till.capture({ amountMinor: 5_000, currency: 'CNY', method: 'cash' });
    expect(await worker.verify(reference)).toMatchObject({ reference, amountMinor: 5_000 });
    await till.refund(refundOf(reference, 3_000, 'a'));
    await expect(worker.refund(refundOf(reference, 3_000, 'b'))).rejects.toThrow(RefundRefusedError);
    // A line still being written is read once it is complete.
    fs.appendFileSync(files.captures, '{"reference":"LPC-HALF"');
    expect(await worker.verify('LPC-HALF')).toBeUndefined();
    fs.appendFileSync(files.captures, ',"amountMinor":1,"currency":"CNY","method":"card","at":"x"}\n');
    expect(await worker.verify('LPC-HALF')).toMatchObject({ amountMinor: 1 });
    // A fresh start reads the books back.
    expect(new LocalPaymentAdapter(files).remainingMinor(reference)).toBe(2_000);
  });
});
