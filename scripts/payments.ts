/**
 * npm run payments -- capture <amountMinor> [--method card|cash|alipay|…] [--reference R] [--currency CNY] | verify <R>
 * The local payment stand-in's customer side (payments/local.ts): records a payment a customer made, in the books
 * under OMS_DATA_DIR the worker verifies prepaid orders against, and prints its reference (the last line) for the
 * order's `payment.reference`. With a real provider, its checkout or card terminal does this instead.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../lib/config';
import { LocalPaymentAdapter, localPaymentFiles } from '../payments/local';

const USAGE = `usage: npm run payments -- capture <amountMinor> [--method card|cash|…] [--reference R] [--currency CNY]
       npm run payments -- verify <reference>`;

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { method: { type: 'string' }, reference: { type: 'string' }, currency: { type: 'string' } },
  });
  const adapter = new LocalPaymentAdapter(localPaymentFiles(loadConfig().dataDir));
  const [command, arg, ...rest] = positionals;
  if (command === 'capture' && arg && /^\d+$/.test(arg) && !rest.length) {
    const capture = adapter.captureNow({
      amountMinor: Number(arg),
      currency: values.currency ?? 'CNY',
      method: values.method ?? 'card',
      reference: values.reference,
    });
    console.log(`Captured ${capture.amountMinor} ${capture.currency} (${capture.method}); its reference:`);
    console.log(capture.reference);
    return 0;
  }
  if (command === 'verify' && arg && !rest.length) {
    const capture = await adapter.verify(arg);
    if (!capture) console.log(`no payment ${arg}`);
    else console.log(`${JSON.stringify(capture)}; ${adapter.remainingMinor(arg)} left to refund`);
    return capture ? 0 : 1;
  }
  console.error(USAGE);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (err: Error) => {
    console.error(err.message);
    process.exitCode = 1;
  },
);
