/**
 * Stock transfers between locations, as ledger movements: requesting reserves at the source,
 * shipping takes the goods off the source's shelf (in transit: at neither location), receiving puts
 * what arrived on the destination's shelf and records any shortfall. Each step is keyed, so repeats are no-ops.
 */
import type { Db, Tx } from '../db/client';
import { nextInSequence } from '../db/sequence';
import { orderDay } from '../domain/order-number';
import { availableOf } from '../domain/stock';
import { applyMovements } from './ledger';
import { arriveUnits, serialisedSkus, takeOldestUnits } from './serials';

export interface TransferRequest {
  fromLocationId: number;
  toLocationId: number;
  lines: { sku: string; quantity: number }[];
  requestedBy: string;
  note?: string;
}

/** Reserves the goods at the source and records the transfer; null when the source is short. */
export async function requestTransfer(db: Db, request: TransferRequest): Promise<string | null> {
  // Refuse a short source before drawing a number, so a refused request leaves no gap in the numbering.
  // (The reservation below still decides: a race for the last units can leave a gap, never an oversell.)
  if (!(await sourceHasEnough(db, request))) return null;
  const day = orderDay(new Date());
  const transferNumber = `TR-${day}-${String(await nextInSequence(db, `TR-${day}`)).padStart(6, '0')}`;
  const result = await applyMovements(
    db,
    request.lines.map((line, i) => ({
      key: `transfer-reserve:${transferNumber}:${i + 1}`,
      kind: 'RESERVE' as const,
      sku: line.sku,
      locationId: request.fromLocationId,
      reservedDelta: line.quantity,
      reference: transferNumber,
      actor: request.requestedBy,
    })),
    async (tx) => {
      await tx.transfer.create({
        data: {
          transferNumber,
          fromLocationId: request.fromLocationId,
          toLocationId: request.toLocationId,
          status: 'REQUESTED',
          requestedBy: request.requestedBy,
          note: request.note,
          lines: { create: request.lines.map((line, i) => ({ lineNo: i + 1, ...line })) },
        },
      });
    },
  );
  return result === 'insufficient' ? null : transferNumber;
}

async function sourceHasEnough(db: Db, request: TransferRequest): Promise<boolean> {
  const wanted = new Map<string, number>();
  for (const line of request.lines) wanted.set(line.sku, (wanted.get(line.sku) ?? 0) + line.quantity);
  const levels = await db.stockLevel.findMany({
    where: { locationId: request.fromLocationId, sku: { in: [...wanted.keys()] } },
  });
  return [...wanted].every(([sku, quantity]) => {
    const level = levels.find((l) => l.sku === sku);
    return level !== undefined && availableOf(level) >= quantity;
  });
}

async function loadTransfer(db: Db, transferNumber: string) {
  return db.transfer.findUniqueOrThrow({
    where: { transferNumber },
    include: { lines: { orderBy: { lineNo: 'asc' } } },
  });
}

function mustApply(result: string, what: string): void {
  if (result === 'insufficient') throw new Error(`${what}: the stock no longer matches what the transfer reserved`);
}

export async function shipTransfer(db: Db, transferNumber: string, actor: string): Promise<void> {
  const transfer = await loadTransfer(db, transferNumber);
  const result = await applyMovements(
    db,
    transfer.lines.map((line) => ({
      key: `transfer-out:${transferNumber}:${line.lineNo}`,
      kind: 'TRANSFER_OUT' as const,
      sku: line.sku,
      locationId: transfer.fromLocationId,
      onHandDelta: -line.quantity,
      reservedDelta: -line.quantity,
      reference: transferNumber,
      actor,
    })),
    async (tx) => {
      await tx.transfer.update({ where: { id: transfer.id }, data: { status: 'IN_TRANSIT', shippedAt: new Date() } });
      const serialised = await serialisedSkus(
        tx,
        transfer.lines.map((l) => l.sku),
      );
      for (const line of transfer.lines.filter((l) => serialised.has(l.sku))) {
        await takeOldestUnits(tx, {
          sku: line.sku,
          locationId: transfer.fromLocationId,
          quantity: line.quantity,
          reference: transferNumber,
          to: 'IN_TRANSIT',
        });
      }
    },
  );
  mustApply(result, `shipping ${transferNumber}`);
}

export async function cancelTransfer(db: Db, transferNumber: string, actor: string): Promise<void> {
  const transfer = await loadTransfer(db, transferNumber);
  const result = await applyMovements(
    db,
    transfer.lines.map((line) => ({
      key: `transfer-release:${transferNumber}:${line.lineNo}`,
      kind: 'RELEASE' as const,
      sku: line.sku,
      locationId: transfer.fromLocationId,
      reservedDelta: -line.quantity,
      reference: transferNumber,
      actor,
    })),
    async (tx) => {
      await tx.transfer.update({ where: { id: transfer.id }, data: { status: 'CANCELLED' } });
    },
  );
  mustApply(result, `cancelling ${transferNumber}`);
}

/** Puts what arrived on the destination's shelf; a SKU not mentioned counts as none arrived. */
export async function receiveTransfer(
  db: Db,
  transferNumber: string,
  actor: string,
  arrived: { sku: string; received: number }[],
): Promise<void> {
  const transfer = await loadTransfer(db, transferNumber);
  const left = new Map<string, number>();
  for (const a of arrived) left.set(a.sku, (left.get(a.sku) ?? 0) + a.received);
  const received = transfer.lines.map((line) => {
    const take = Math.min(line.quantity, left.get(line.sku) ?? 0);
    left.set(line.sku, (left.get(line.sku) ?? 0) - take);
    return { line, take };
  });
  const markReceived = async (tx: Tx) => {
    const serialised = await serialisedSkus(
      tx,
      transfer.lines.map((l) => l.sku),
    );
    for (const { line, take } of received) {
      await tx.transferLine.update({ where: { id: line.id }, data: { received: take } });
      if (serialised.has(line.sku)) await arriveUnits(tx, line.sku, transferNumber, transfer.toLocationId, take);
    }
    await tx.transfer.update({ where: { id: transfer.id }, data: { status: 'RECEIVED', receivedAt: new Date() } });
  };
  const movements = received
    .filter(({ take }) => take > 0)
    .map(({ line, take }) => ({
      key: `transfer-in:${transferNumber}:${line.lineNo}`,
      kind: 'TRANSFER_IN' as const,
      sku: line.sku,
      locationId: transfer.toLocationId,
      onHandDelta: take,
      reference: transferNumber,
      actor,
      reason: take < line.quantity ? `short by ${line.quantity - take}` : undefined,
    }));
  if (movements.length > 0) {
    mustApply(await applyMovements(db, movements, markReceived), `receiving ${transferNumber}`);
  } else if (transfer.status !== 'RECEIVED') {
    await db.$transaction(markReceived);
  }
}
