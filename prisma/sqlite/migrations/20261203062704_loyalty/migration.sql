-- CreateTable
CREATE TABLE "PointsMovement" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "key" TEXT NOT NULL,
    "customerId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "points" INTEGER NOT NULL,
    "balanceAfter" INTEGER NOT NULL,
    "orderNumber" TEXT,
    "moneyMinor" INTEGER,
    "expiresAt" DATETIME,
    "lapseChecked" BOOLEAN NOT NULL DEFAULT false,
    "actor" TEXT NOT NULL,
    "reason" TEXT,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "PointsMovement_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Order" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "orderNumber" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "customerName" TEXT,
    "customerEmail" TEXT,
    "customerPhone" TEXT,
    "customerId" INTEGER,
    "pointsRedeemed" INTEGER NOT NULL DEFAULT 0,
    "pointsMinor" INTEGER NOT NULL DEFAULT 0,
    "shippingAddress" JSONB NOT NULL,
    "language" TEXT NOT NULL DEFAULT 'en',
    "currency" TEXT NOT NULL DEFAULT 'CNY',
    "totalMinor" INTEGER NOT NULL,
    "paymentStatus" TEXT NOT NULL,
    "paymentReference" TEXT,
    "capturedMinor" INTEGER,
    "paymentLegacy" BOOLEAN NOT NULL DEFAULT false,
    "fulfilment" TEXT NOT NULL DEFAULT 'SHIP',
    "pickupLocationId" INTEGER,
    "urgent" BOOLEAN NOT NULL DEFAULT false,
    "reviewReasons" JSONB,
    "backorderedAt" DATETIME,
    "closedReason" TEXT,
    "deliveredAt" DATETIME,
    "workflowStarted" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Order_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Order" ("backorderedAt", "capturedMinor", "channel", "closedReason", "createdAt", "currency", "customerEmail", "customerId", "customerName", "customerPhone", "deliveredAt", "externalId", "fulfilment", "id", "language", "orderNumber", "paymentLegacy", "paymentReference", "paymentStatus", "pickupLocationId", "reviewReasons", "shippingAddress", "status", "totalMinor", "updatedAt", "urgent", "workflowStarted") SELECT "backorderedAt", "capturedMinor", "channel", "closedReason", "createdAt", "currency", "customerEmail", "customerId", "customerName", "customerPhone", "deliveredAt", "externalId", "fulfilment", "id", "language", "orderNumber", "paymentLegacy", "paymentReference", "paymentStatus", "pickupLocationId", "reviewReasons", "shippingAddress", "status", "totalMinor", "updatedAt", "urgent", "workflowStarted" FROM "Order";
DROP TABLE "Order";
ALTER TABLE "new_Order" RENAME TO "Order";
CREATE UNIQUE INDEX "Order_orderNumber_key" ON "Order"("orderNumber");
CREATE UNIQUE INDEX "Order_paymentReference_key" ON "Order"("paymentReference");
CREATE INDEX "Order_customerId_idx" ON "Order"("customerId");
CREATE INDEX "Order_status_idx" ON "Order"("status");
CREATE INDEX "Order_status_backorderedAt_idx" ON "Order"("status", "backorderedAt");
CREATE INDEX "Order_workflowStarted_idx" ON "Order"("workflowStarted");
CREATE UNIQUE INDEX "Order_channel_externalId_key" ON "Order"("channel", "externalId");
CREATE TABLE "new_Customer" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "mobile" TEXT,
    "email" TEXT,
    "otherPhone" TEXT,
    "birthday" TEXT,
    "marketingConsent" BOOLEAN NOT NULL DEFAULT false,
    "tags" JSONB,
    "notes" TEXT,
    "mergedIntoId" INTEGER,
    "tierCode" TEXT NOT NULL DEFAULT 'STANDARD',
    "tierSince" DATETIME,
    -- Added by hand: points can never go below 0 (orders/points.ts relies on it as the last guard).
    "pointsBalance" INTEGER NOT NULL DEFAULT 0 CONSTRAINT "Customer_points_not_negative" CHECK ("pointsBalance" >= 0),
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Customer" ("birthday", "createdAt", "email", "id", "marketingConsent", "mergedIntoId", "mobile", "name", "notes", "otherPhone", "tags", "updatedAt") SELECT "birthday", "createdAt", "email", "id", "marketingConsent", "mergedIntoId", "mobile", "name", "notes", "otherPhone", "tags", "updatedAt" FROM "Customer";
DROP TABLE "Customer";
ALTER TABLE "new_Customer" RENAME TO "Customer";
CREATE UNIQUE INDEX "Customer_mobile_key" ON "Customer"("mobile");
CREATE UNIQUE INDEX "Customer_email_key" ON "Customer"("email");
CREATE INDEX "Customer_name_idx" ON "Customer"("name");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "PointsMovement_key_key" ON "PointsMovement"("key");

-- CreateIndex
CREATE INDEX "PointsMovement_customerId_at_idx" ON "PointsMovement"("customerId", "at");

-- CreateIndex
CREATE INDEX "PointsMovement_orderNumber_idx" ON "PointsMovement"("orderNumber");

-- CreateIndex
CREATE INDEX "PointsMovement_lapseChecked_expiresAt_idx" ON "PointsMovement"("lapseChecked", "expiresAt");

