// The worker bundles every workflow exported here.
export { orderWorkflow } from './order';
export { shipmentWorkflow } from './shipment';
export { transferWorkflow } from './transfer';
export { repairWorkflow } from './repair';
export { birthdayCouponsWorkflow } from './birthdays';
