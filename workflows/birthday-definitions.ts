/** What starts the birthday coupon workflow (orders/schedules.ts), kept apart from the workflow's own module. */
export const BIRTHDAY_WORKFLOW_TYPE = 'birthdayCouponsWorkflow';
