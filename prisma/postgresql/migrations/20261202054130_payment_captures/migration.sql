-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "capturedMinor" INTEGER,
ADD COLUMN     "paymentReference" TEXT,
ADD COLUMN     "paymentLegacy" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "Refund" ADD COLUMN     "captureRef" TEXT,
ALTER COLUMN "providerRef" DROP NOT NULL;

-- CreateIndex
CREATE UNIQUE INDEX "Order_paymentReference_key" ON "Order"("paymentReference");

-- CreateIndex
CREATE INDEX "Refund_captureRef_idx" ON "Refund"("captureRef");

-- Backfill: orders marked PAID before payments were verified name no capture. They were paid (their total) under
-- the old rules, and are refunded the old way, by order number, up to that total (activities/refunds.ts).
UPDATE "Order" SET "paymentLegacy" = true, "capturedMinor" = "totalMinor" WHERE "paymentStatus" = 'PAID';
