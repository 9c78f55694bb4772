/**
 * The production build: `npm run build` compiles to dist/, and the compiled processes run the shop the way the
 * Docker image runs them (`node dist/scripts/migrate.js`, `node dist/local-carrier/main.js`,
 * `node dist/worker/main.js`, `node dist/api/main.js`, see Dockerfile and docker-compose.yml). The test stack starts
 * them instead of the TypeScript (startStack's `compiled`), and one order goes from intake to COMPLETED: the worker's
 * workflow bundle is made from the compiled workflows, the migrations and the codec login page are found from dist/.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { startTestSystem, type TestSystem } from '../support/system';
import { newProduct, orderBody, pickEverything, placeOrder, reachStatus } from '../support/orders';

const ROOT = path.resolve(__dirname, '../..');

describe('the compiled build (dist/)', () => {
  let system: TestSystem;

  beforeAll(() => {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const build = spawnSync(npm, ['run', 'build'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    if (build.status !== 0)
      throw new Error(`npm run build failed (${build.status}):\n${build.stdout}\n${build.stderr}`);
  }, 150_000);

  beforeAll(async () => {
    system = await startTestSystem({ compiled: true, env: { OMS_AFTER_SALES_WINDOW: '0s' } });
  }, 180_000);

  afterAll(async () => {
    await system?.stop();
  }, 90_000);

  test('runs the compiled carrier, worker and API', () => {
    const entries = Object.fromEntries(system.stack.processes.map((p) => [p.name, p.child.spawnargs.slice(1)]));
    expect(entries.carrier).toEqual([path.join('dist', 'local-carrier', 'main.js')]);
    expect(entries.worker).toEqual([path.join('dist', 'worker', 'main.js')]);
    expect(entries.api).toEqual([path.join('dist', 'api', 'main.js')]);
  });

  test('an order goes from intake to COMPLETED', async () => {
    const { sku } = await newProduct(system, { stock: { 'WH-SH': 5 } });
    const orderNumber = await placeOrder(system, orderBody(sku));
    await reachStatus(system, orderNumber, 'PICKING');
    await pickEverything(system, orderNumber);
    await reachStatus(system, orderNumber, 'COMPLETED', 60_000);
  }, 90_000);

  test('the codec login page (a static file, not compiled) is served', async () => {
    const response = await fetch(`${system.apiUrl}/api/codec/login`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<html');
  });
});
