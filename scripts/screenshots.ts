/**
 * `npm run screenshots`: pictures of the console's main screens, into docs/console/ (the README shows two). Starts
 * the whole stack on a scratch data folder with the demo shop, puts a day's orders into it (one waiting for review,
 * some to pick, one ready for pickup, one delivered and returned), and photographs each screen in Chromium; then, at
 * a phone's size, the delivered order's email as MailDev caught it and the customer's tracking page it links to.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Browsers, buildConsoleIfMissing, SCREENSHOTS, settled, signIn } from '../test/support/console';
import { orderBody, pickEverything, placeOrder, reachStatus } from '../test/support/orders';
import { emailsTo, eventually, startTestSystem, type TestSystem } from '../test/support/system';

interface Shot {
  file: string;
  /** A console path; a function when it depends on the day's orders. */
  path: string | ((orders: DayOrders) => string);
  chinese?: boolean;
  /** A button to click first: the screenshot shows the dialog it opens. */
  click?: string;
}

interface DayOrders {
  flagged: string;
  toPick: string;
  pickup: string;
  returned: string;
  /** The customer of the returned order. */
  customerId: number;
  /** A phone sold that day and back for repair, diagnosed. */
  repair: string;
}

const SHOTS: Shot[] = [
  { file: 'today.png', path: '/', chinese: true },
  { file: 'orders.png', path: '/orders' },
  { file: 'order.png', path: (o) => `/orders/${o.returned}` },
  { file: 'order-edit.png', path: (o) => `/orders/${o.flagged}`, click: 'Edit order' },
  { file: 'review.png', path: '/review' },
  { file: 'new-order.png', path: '/orders/new' },
  { file: 'picking.png', path: (o) => `/picking/${o.toPick}` },
  { file: 'pickup.png', path: '/pickup' },
  { file: 'returns.png', path: '/returns' },
  { file: 'stock.png', path: '/stock' },
  { file: 'staff.png', path: '/staff' },
  { file: 'blocked.png', path: '/blocked' },
  { file: 'customers.png', path: '/customers', chinese: true },
  { file: 'customer.png', path: (o) => `/customers/${o.customerId}` },
  { file: 'repair.png', path: (o) => `/repairs/${o.repair}`, chinese: true },
  { file: 'promotions.png', path: '/promotions', chinese: true },
  { file: 'order-discounts.png', path: (o) => `/orders/${o.toPick}`, chinese: true },
];

/** The shop's promotions of the day: a stepped 满减 on clothing, a gift from ¥399, and a coupon. */
async function promotionsOfTheDay(system: TestSystem): Promise<void> {
  const clothing = { categories: ['clothing'] };
  for (const body of [
    {
      code: 'MJ300',
      name: '满300减30 满500减60',
      rule: {
        kind: 'THRESHOLD_OFF',
        steps: [
          { fromMinor: 30_000, offMinor: 3_000 },
          { fromMinor: 50_000, offMinor: 6_000 },
        ],
        target: clothing,
      },
    },
    {
      code: 'GIFT399',
      name: '满399送T恤',
      rule: { kind: 'THRESHOLD_GIFT', fromMinor: 39_900, giftSku: 'TEE-WHI-S', giftQuantity: 1, target: clothing },
    },
    {
      code: 'WEEKEND',
      name: '周末9折券',
      couponRequired: true,
      rule: { kind: 'ORDER_PERCENT_OFF', percent: 10, fromMinor: 0 },
      hours: { weekdays: [6, 7] },
    },
  ]) {
    const created = await system.api('POST', '/api/promotions', body);
    if (created.status !== 201)
      throw new Error(`POST /api/promotions: ${created.status} ${JSON.stringify(created.body)}`);
  }
}

async function dayOfOrders(system: TestSystem): Promise<DayOrders> {
  await promotionsOfTheDay(system);
  const customer = (name: string, phone: string) => ({ name, email: `${phone}@example.com`, phone });
  const flagged = await placeOrder(
    system,
    orderBody('JEANS-BLU-32', { customer: customer('王芳', '13912345678'), payment: { status: 'PENDING' } }),
  );
  const toPick = await placeOrder(
    system,
    orderBody('TEE-WHI-M', {
      channel: 'phone',
      customer: customer('张伟', '13800138000'),
      lines: [
        { sku: 'TEE-WHI-M', quantity: 2 },
        { sku: 'JEANS-BLU-32', quantity: 1 },
      ],
    }),
  );
  const pickup = await placeOrder(
    system,
    orderBody('TEE-BLA-L', {
      channel: 'web',
      customer: customer('李娜', '13700137000'),
      shippingAddress: undefined,
      pickupStore: 'ST-NJR',
    }),
  );
  const returned = await placeOrder(
    system,
    orderBody('TEE-BLA-M', { customer: customer('刘洋', '13600136000'), language: 'zh-CN' }),
  );
  for (const n of [pickup, returned]) {
    await reachStatus(system, n, 'PICKING');
    await pickEverything(system, n);
  }
  await reachStatus(system, pickup, 'READY_FOR_PICKUP');
  await reachStatus(system, returned, 'DELIVERED', 60_000);
  const order = await system.api<{ lines: { lineNo: number }[]; customerId: number }>('GET', `/api/orders/${returned}`);
  const opened = await system.api('POST', `/api/orders/${returned}/returns`, {
    kind: 'RETURN',
    reason: 'SIZE_OR_FIT',
    lines: [{ lineNo: order.body.lines[0].lineNo, quantity: 1 }],
  });
  if (opened.status >= 300) throw new Error(`opening the return: ${opened.status} ${JSON.stringify(opened.body)}`);
  await reachStatus(system, flagged, 'IN_REVIEW');
  await reachStatus(system, toPick, 'PICKING');
  return { flagged, toPick, pickup, returned, customerId: order.body.customerId, repair: await phoneInRepair(system) };
}

/** A phone sold on a web order, back at the store's counter the same day, diagnosed. */
async function phoneInRepair(system: TestSystem): Promise<string> {
  const sku = 'PHONE-X1-256GB';
  const sold = await placeOrder(
    system,
    orderBody(sku, {
      customer: { name: '陈静', email: '13500135000@example.com', phone: '13500135000' },
      lines: [{ sku, quantity: 1 }],
      language: 'zh-CN',
    }),
  );
  await reachStatus(system, sold, 'PICKING');
  await pickEverything(system, sold);
  const unit = await eventually('the phone sold', () =>
    system.db.serialUnit.findFirst({ where: { sku, status: 'SOLD', reference: sold } }).then((u) => u ?? undefined),
  );
  const opened = await system.api<{ ticketNumber: string }>('POST', '/api/repairs', {
    serial: unit.serial,
    fault: '通话时听筒有杂音',
    location: 'ST-NJR',
  });
  if (opened.status !== 201) throw new Error(`opening the repair: ${opened.status} ${JSON.stringify(opened.body)}`);
  const ticketNumber = opened.body.ticketNumber;
  await system.api('POST', `/api/repairs/${ticketNumber}/steps`, { to: 'DIAGNOSED', diagnosis: '听筒防尘网堵塞' });
  return ticketNumber;
}

async function main(): Promise<void> {
  buildConsoleIfMissing();
  // A long after-sales window: the returned order stays open for its return.
  const system = await startTestSystem({ env: { OMS_AFTER_SALES_WINDOW: '1d' } });
  const browsers = new Browsers();
  try {
    const orders = await dayOfOrders(system);
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    for (const chinese of [true, false]) {
      const { page } = await browsers.open({ width: 1440, height: 900 });
      await signIn(page, system, system.adminKey, chinese);
      for (const shot of SHOTS.filter((s) => (s.chinese ?? false) === chinese)) {
        const where = typeof shot.path === 'function' ? shot.path(orders) : shot.path;
        await page.goto(`${system.apiUrl}${where}`);
        await page.getByRole('menu').waitFor();
        await settled(page);
        if (shot.click) {
          await page.getByRole('button', { name: shot.click }).click();
          await page.getByRole('dialog').waitFor();
        }
        // Tables and tags finish drawing after the data is in.
        await page.waitForTimeout(800);
        await page.screenshot({ path: path.join(SCREENSHOTS, shot.file), fullPage: true });
        console.log(`docs/console/${shot.file}  ${where}`);
      }
    }
    await customerPages(system, browsers, orders.returned);
  } finally {
    await browsers.closeAll();
    await system.stop();
  }
}

/** The delivered order's email (HTML part, as a phone shows it) and the tracking page its button opens. */
async function customerPages(system: TestSystem, browsers: Browsers, orderNumber: string): Promise<void> {
  const sent = await emailsTo(system.mailUrl, '13600136000@example.com');
  const delivered = sent.find((m) => m.subject.includes(orderNumber) && m.subject.includes('签收'));
  const email = delivered ?? sent.find((m) => m.subject.includes(orderNumber));
  if (!email) throw new Error(`no email of ${orderNumber} in MailDev`);
  const { page } = await browsers.open({ width: 390, height: 844 });
  await page.setContent(email.html);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'email.png'), fullPage: true });
  console.log(`docs/console/email.png  ${email.subject}`);
  const link = /(http:\/\/\S+\/track\/[A-Za-z0-9_-]{24})/.exec(email.text)?.[1];
  if (!link) throw new Error('the email has no tracking link');
  await page.goto(link);
  await page.getByRole('heading').first().waitFor();
  await page.screenshot({ path: path.join(SCREENSHOTS, 'tracking-page.png'), fullPage: true });
  console.log(`docs/console/tracking-page.png  ${new URL(link).pathname}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
