// The bench's worker (bench/worker.ts) bundles every workflow exported here; the production worker bundles none.
export { benchBaselineChildWorkflow, benchBaselineWorkflow } from './baseline';
