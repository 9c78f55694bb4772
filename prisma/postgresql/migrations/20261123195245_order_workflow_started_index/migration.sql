-- CreateIndex
CREATE INDEX "Order_workflowStarted_idx" ON "Order"("workflowStarted");

