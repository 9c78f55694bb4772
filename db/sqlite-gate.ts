/**
 * One SQLite connection per process serves every query, and an interactive transaction on it stays
 * open across awaits. Without a gate, a query from unrelated work that runs meanwhile would land
 * inside that transaction and be rolled back with it. The gate lets a transaction run alone: other
 * queries wait until it ends (the connection could not run them in parallel anyway). Inside the
 * transaction callback, queries skip the gate, so even the outer client there runs in the transaction.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

class Gate {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work, work);
    this.tail = result.catch(() => undefined);
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
