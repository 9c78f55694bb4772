-- CreateTable
CREATE TABLE "Customer" (
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
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "CustomerAddress" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "customerId" INTEGER NOT NULL,
    "key" TEXT NOT NULL,
    "address" JSONB NOT NULL,
    "lastUsedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "CustomerAddress_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "CustomerFeedback" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "customerId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "orderNumber" TEXT,
    "text" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "CustomerFeedback_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "CustomerEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "customerId" INTEGER NOT NULL,
    "action" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "details" JSONB,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "CustomerEvent_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
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
INSERT INTO "new_Order" ("backorderedAt", "capturedMinor", "channel", "closedReason", "createdAt", "currency", "customerEmail", "customerName", "customerPhone", "deliveredAt", "externalId", "fulfilment", "id", "language", "orderNumber", "paymentLegacy", "paymentReference", "paymentStatus", "pickupLocationId", "reviewReasons", "shippingAddress", "status", "totalMinor", "updatedAt", "urgent", "workflowStarted") SELECT "backorderedAt", "capturedMinor", "channel", "closedReason", "createdAt", "currency", "customerEmail", "customerName", "customerPhone", "deliveredAt", "externalId", "fulfilment", "id", "language", "orderNumber", "paymentLegacy", "paymentReference", "paymentStatus", "pickupLocationId", "reviewReasons", "shippingAddress", "status", "totalMinor", "updatedAt", "urgent", "workflowStarted" FROM "Order";
DROP TABLE "Order";
ALTER TABLE "new_Order" RENAME TO "Order";
CREATE UNIQUE INDEX "Order_orderNumber_key" ON "Order"("orderNumber");
CREATE UNIQUE INDEX "Order_paymentReference_key" ON "Order"("paymentReference");
CREATE INDEX "Order_customerId_idx" ON "Order"("customerId");
CREATE INDEX "Order_status_idx" ON "Order"("status");
CREATE INDEX "Order_status_backorderedAt_idx" ON "Order"("status", "backorderedAt");
CREATE INDEX "Order_workflowStarted_idx" ON "Order"("workflowStarted");
CREATE UNIQUE INDEX "Order_channel_externalId_key" ON "Order"("channel", "externalId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "Customer_mobile_key" ON "Customer"("mobile");

-- CreateIndex
CREATE UNIQUE INDEX "Customer_email_key" ON "Customer"("email");

-- CreateIndex
CREATE INDEX "Customer_name_idx" ON "Customer"("name");

-- CreateIndex
CREATE UNIQUE INDEX "CustomerAddress_customerId_key_key" ON "CustomerAddress"("customerId", "key");

-- CreateIndex
CREATE INDEX "CustomerFeedback_customerId_idx" ON "CustomerFeedback"("customerId");

-- CreateIndex
CREATE INDEX "CustomerEvent_customerId_idx" ON "CustomerEvent"("customerId");

