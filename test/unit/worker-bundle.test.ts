/**
 * The production worker's workflow bundle (worker/main.ts bundles `workflows/`) holds the order, shipment and
 * transfer workflows and nothing of the bench: its baseline workflow and activity live in bench/ and run on the
 * bench's own worker (bench/worker.ts).
 */
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';

test('the production workflow bundle has the order workflows and no bench code', async () => {
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../../workflows'),
    // What worker/main.ts bundles besides the workflows (lib/temporal.ts's data converter).
    failureConverterPath: require.resolve('../../lib/failure-converter'),
    logger: new DefaultLogger('WARN'),
  });
  for (const name of ['orderWorkflow', 'shipmentWorkflow', 'transferWorkflow']) expect(code).toContain(name);
  for (const name of ['benchBaselineWorkflow', 'benchStep', 'benchNoop', 'createBenchActivities']) {
    expect(code).not.toContain(name);
  }
  // No module from bench/ (webpack names each module by its path).
  expect(code).not.toMatch(/[\\/]bench[\\/]/);
}, 60_000);
