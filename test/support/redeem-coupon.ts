// A separate process using one coupon for many orders at the same time as others (used by the coupon tests), each in
// a transaction of its own as intake takes it. argv: <databaseUrl> <couponCode> <customerId or -> <orderNumber,...>;
// prints a JSON array: true where the use was taken.
import { createDb } from '../../db/client';
import { CouponRefusedError, redeemCoupons, usableCoupons } from '../../orders/promotions';

const usedUp = (err: unknown): false => {
  if (err instanceof CouponRefusedError && err.reason === 'USED_UP') return false;
  throw err;
};

async function main(): Promise<void> {
  const [databaseUrl, code, customer, orderNumbers] = process.argv.slice(2);
  const db = createDb(databaseUrl);
  const customerId = customer === '-' ? null : Number(customer);
  const orders = orderNumbers.split(',');
  try {
    // Intake looks first, outside the order's transaction: by then the others may have taken every use.
    const coupon = await usableCoupons(db, [code], customerId, new Date()).then(([c]) => c, usedUp);
    const results = coupon
      ? await Promise.all(
          orders.map((orderNumber) =>
            db.$transaction((tx) => redeemCoupons(tx, [coupon], orderNumber, customerId)).then(() => true, usedUp),
          ),
        )
      : orders.map(() => false);
    process.stdout.write(JSON.stringify(results));
  } finally {
    await db.$disconnect();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
