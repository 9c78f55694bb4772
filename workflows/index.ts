// The worker bundles every workflow exported here.
export { orderWorkflow } from './order';
export { transferWorkflow } from './transfer';
