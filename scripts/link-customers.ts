// npm run customers:link: gives every order stored before customers existed its customer (orders/customers.ts);
// safe to run again, and while the system runs.
import { createDb } from '../db/client';
import { loadConfig } from '../lib/config';
import { linkOrdersToCustomers } from '../orders/customers';

async function main(): Promise<void> {
  const db = createDb(loadConfig().databaseUrl);
  try {
    const linked = await linkOrdersToCustomers(db);
    console.log(`${linked} order(s) linked to their customers; ${await db.customer.count()} customers in all`);
  } finally {
    await db.$disconnect();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
