-- AlterTable
ALTER TABLE "Order" ADD COLUMN "capturedMinor" INTEGER;
ALTER TABLE "Order" ADD COLUMN "paymentReference" TEXT;
ALTER TABLE "Order" ADD COLUMN "paymentLegacy" BOOLEAN NOT NULL DEFAULT false;

-- RedefineTables (Refund: captureRef added, providerRef nullable)
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Refund" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "key" TEXT NOT NULL,
    "orderId" INTEGER NOT NULL,
    "amountMinor" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "providerRef" TEXT,
    "captureRef" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Refund_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Refund" ("amountMinor", "createdAt", "currency", "id", "key", "orderId", "provider", "providerRef", "reason") SELECT "amountMinor", "createdAt", "currency", "id", "key", "orderId", "provider", "providerRef", "reason" FROM "Refund";
DROP TABLE "Refund";
ALTER TABLE "new_Refund" RENAME TO "Refund";
CREATE UNIQUE INDEX "Refund_key_key" ON "Refund"("key");
CREATE INDEX "Refund_orderId_idx" ON "Refund"("orderId");
CREATE INDEX "Refund_captureRef_idx" ON "Refund"("captureRef");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "Order_paymentReference_key" ON "Order"("paymentReference");

-- Backfill: orders marked PAID before payments were verified name no capture. They were paid (their total) under
-- the old rules, and are refunded the old way, by order number, up to that total (activities/refunds.ts).
UPDATE "Order" SET "paymentLegacy" = true, "capturedMinor" = "totalMinor" WHERE "paymentStatus" = 'PAID';
