/**
 * One SQLite connection per process serves every query, and an interactive transaction on it stays
 * open across awaits. Without a gate, a query from unrelated work that runs meanwhile would land
 * inside that transaction and be rolled back with it. The gate lets a transaction run alone: other
 * queries wait until it ends (the connection could not run them in parallel anyway). Inside the
 * transaction callback, queries skip the gate, so even the outer client there runs in the transaction.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';

class Gate {
  private tail: Promise<unknown> = Promise.resolve();
  /** Work given to the gate and not finished yet (running or waiting). */
  private inFlight = 0;

  run<T>(work: () => Promise<T>): Promise<T> {
    // Work that had to wait starts on a later turn of the event loop. better-sqlite3 is synchronous, so the queries
    // queued behind a long transaction would otherwise all run in the microtask queue right after it, one turn of
    // the loop for all of them: behind a 100,000-row import, ~200 health checks' queries held the loop ~150 ms.
    const start = this.inFlight > 0 ? () => nextTurn().then(work) : work;
    this.inFlight++;
    const result = this.tail.then(start, start);
    this.tail = result.then(
      () => this.inFlight--,
      () => this.inFlight--,
    );
    return result;
  }
}

const insideTransaction = new AsyncLocalStorage<true>();

interface Transactional {
  $transaction(...args: unknown[]): Promise<unknown>;
  $extends(extension: unknown): unknown;
}

export function gateSqliteClient<T extends Transactional>(client: T): T {
  const gate = new Gate();
  const gated = client.$extends({
    query: {
      $allOperations({ args, query }: { args: unknown; query: (args: unknown) => Promise<unknown> }) {
        return insideTransaction.getStore() ? query(args) : gate.run(() => query(args));
      },
    },
  }) as T;
  return new Proxy(gated, {
    get(target, property, receiver) {
      if (property !== '$transaction') return Reflect.get(target, property, receiver);
      return (...args: unknown[]) => gate.run(() => insideTransaction.run(true, () => target.$transaction(...args)));
    },
  });
}
