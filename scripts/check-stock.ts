// npm run check:stock: recomputes every stock level from the ledger; exits 1 and lists any difference.
import { createDb } from '../db/client';
import { loadConfig } from '../lib/config';
import { checkSerialUnits, checkStockAgainstLedger } from '../inventory/check';

async function main(): Promise<void> {
  const db = createDb(loadConfig().databaseUrl);
  try {
    const differences = await checkStockAgainstLedger(db);
    const serialDifferences = await checkSerialUnits(db);
    for (const d of differences) {
      console.error(
        `${d.sku} @ location ${d.locationId}: stored on hand ${d.stored.onHand}, reserved ${d.stored.reserved}; ` +
          `ledger on hand ${d.fromLedger.onHand}, reserved ${d.fromLedger.reserved}`,
      );
    }
    for (const d of serialDifferences) {
      console.error(
        `${d.sku} @ location ${d.locationId}: on hand ${d.onHand}, but ${d.unitsOnShelf} serialised units on the shelf`,
      );
    }
    if (differences.length || serialDifferences.length) {
      process.exitCode = 1;
      return;
    }
    console.log(
      `stock levels match the ledger and the serialised units (${await db.stockLevel.count()} levels checked)`,
    );
  } finally {
    await db.$disconnect();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
