// A separate process paying with one customer's points at the same time as others (used by the points tests).
// argv: <databaseUrl> <customerId> <points each> <key,...>; prints a JSON array: true where the points were taken.
import { createDb } from '../../db/client';
import { InsufficientPointsError, movePoints } from '../../orders/points';

async function main(): Promise<void> {
  const [databaseUrl, customerId, points, keys] = process.argv.slice(2);
  const db = createDb(databaseUrl);
  try {
    const results = await Promise.all(
      keys.split(',').map((key) =>
        movePoints(db, {
          key,
          customerId: Number(customerId),
          kind: 'REDEEM',
          points: -Number(points),
          actor: 'till',
        }).then(
          (r) => r.applied,
          (err: unknown) => {
            if (err instanceof InsufficientPointsError) return false;
            throw err;
          },
        ),
      ),
    );
    process.stdout.write(JSON.stringify(results));
  } finally {
    await db.$disconnect();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
