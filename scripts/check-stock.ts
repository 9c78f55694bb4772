// npm run check:stock: recomputes every stock level from the ledger; exits 1 and lists any difference.
import { createDb } from '../db/client';
import { loadConfig } from '../lib/config';
import { checkStockAgainstLedger } from '../inventory/check';

async function main(): Promise<void> {
  const db = createDb(loadConfig().databaseUrl);
  try {
    const differences = await checkStockAgainstLedger(db);
    if (differences.length === 0) {
      console.log(`stock levels match the ledger (${await db.stockLevel.count()} levels checked)`);
      return;
    }
    console.error(`${differences.length} stock level(s) differ from the ledger:`);
    for (const d of differences) {
      console.error(
        `  ${d.sku} @ location ${d.locationId}: stored on hand ${d.stored.onHand}, reserved ${d.stored.reserved}; ` +
          `ledger on hand ${d.fromLedger.onHand}, reserved ${d.fromLedger.reserved}`,
      );
    }
    process.exitCode = 1;
  } finally {
    await db.$disconnect();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
