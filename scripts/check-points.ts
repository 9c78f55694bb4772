// npm run check:points: recomputes every customer's points balance from the points ledger; exits 1 and lists any difference.
import { createDb } from '../db/client';
import { loadConfig } from '../lib/config';
import { checkPoints } from '../orders/points';

async function main(): Promise<void> {
  const db = createDb(loadConfig().databaseUrl);
  try {
    const differences = await checkPoints(db);
    for (const d of differences) {
      console.error(`customer ${d.customerId}: balance ${d.balance}, ledger ${d.fromLedger}`);
    }
    if (differences.length) {
      process.exitCode = 1;
      return;
    }
    console.log(`points balances match the ledger (${await db.customer.count()} customers checked)`);
  } finally {
    await db.$disconnect();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
