// A separate process reserving stock for orders at the same time as others (used by inventory tests).
// argv: <databaseUrl> <orderNumber,...>; prints a JSON array of booleans (reserved or not).
import { createDb } from '../../db/client';
import { reserveOrder } from '../../inventory/reservations';

async function main(): Promise<void> {
  const [databaseUrl, numbers] = process.argv.slice(2);
  const db = createDb(databaseUrl);
  try {
    const results = await Promise.all(numbers.split(',').map((n) => reserveOrder(db, n)));
    process.stdout.write(JSON.stringify(results));
  } finally {
    await db.$disconnect();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
