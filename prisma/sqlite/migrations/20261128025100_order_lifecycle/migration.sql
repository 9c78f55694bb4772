-- AlterTable
ALTER TABLE "Allocation" ADD COLUMN "serials" JSONB;
ALTER TABLE "Allocation" ADD COLUMN "shipmentSeq" INTEGER;

-- AlterTable
ALTER TABLE "Warning" ADD COLUMN "stage" TEXT;

-- CreateTable
CREATE TABLE "ReturnRequest" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "returnNumber" TEXT NOT NULL,
    "orderId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "reasonCode" TEXT NOT NULL,
    "note" TEXT,
    "source" TEXT NOT NULL,
    "requestedBy" TEXT NOT NULL,
    "lines" JSONB NOT NULL,
    "decisionNote" TEXT,
    "refundMinor" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decidedAt" DATETIME,
    "receivedAt" DATETIME,
    "closedAt" DATETIME,
    CONSTRAINT "ReturnRequest_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Refund" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "key" TEXT NOT NULL,
    "orderId" INTEGER NOT NULL,
    "amountMinor" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "providerRef" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Refund_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "key" TEXT NOT NULL,
    "orderNumber" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "reason" TEXT,
    "details" JSONB,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "BlockedCustomer" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "kind" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
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
    "customerName" TEXT NOT NULL,
    "customerEmail" TEXT NOT NULL,
    "customerPhone" TEXT NOT NULL,
    "shippingAddress" JSONB NOT NULL,
    "language" TEXT NOT NULL DEFAULT 'en',
    "currency" TEXT NOT NULL DEFAULT 'CNY',
    "totalMinor" INTEGER NOT NULL,
    "paymentStatus" TEXT NOT NULL,
    "fulfilment" TEXT NOT NULL DEFAULT 'SHIP',
    "pickupLocationId" INTEGER,
    "urgent" BOOLEAN NOT NULL DEFAULT false,
    "reviewReasons" JSONB,
    "backorderedAt" DATETIME,
    "closedReason" TEXT,
    "deliveredAt" DATETIME,
    "workflowStarted" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Order" ("channel", "createdAt", "currency", "customerEmail", "customerName", "customerPhone", "externalId", "id", "language", "orderNumber", "paymentStatus", "reviewReasons", "shippingAddress", "status", "totalMinor", "updatedAt", "workflowStarted") SELECT "channel", "createdAt", "currency", "customerEmail", "customerName", "customerPhone", "externalId", "id", "language", "orderNumber", "paymentStatus", "reviewReasons", "shippingAddress", "status", "totalMinor", "updatedAt", "workflowStarted" FROM "Order";
DROP TABLE "Order";
ALTER TABLE "new_Order" RENAME TO "Order";
CREATE UNIQUE INDEX "Order_orderNumber_key" ON "Order"("orderNumber");
CREATE INDEX "Order_status_idx" ON "Order"("status");
CREATE INDEX "Order_status_backorderedAt_idx" ON "Order"("status", "backorderedAt");
CREATE INDEX "Order_workflowStarted_idx" ON "Order"("workflowStarted");
CREATE UNIQUE INDEX "Order_channel_externalId_key" ON "Order"("channel", "externalId");
CREATE TABLE "new_OrderLine" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "orderId" INTEGER NOT NULL,
    "lineNo" INTEGER NOT NULL,
    "sku" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "unitPriceMinor" INTEGER NOT NULL,
    "cancelledQuantity" INTEGER NOT NULL DEFAULT 0,
    "substitutedFrom" TEXT,
    CONSTRAINT "OrderLine_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_OrderLine" ("id", "lineNo", "orderId", "quantity", "sku", "unitPriceMinor") SELECT "id", "lineNo", "orderId", "quantity", "sku", "unitPriceMinor" FROM "OrderLine";
DROP TABLE "OrderLine";
ALTER TABLE "new_OrderLine" RENAME TO "OrderLine";
CREATE UNIQUE INDEX "OrderLine_orderId_lineNo_key" ON "OrderLine"("orderId", "lineNo");
CREATE TABLE "new_Shipment" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "orderId" INTEGER NOT NULL,
    "seq" INTEGER NOT NULL,
    "locationId" INTEGER NOT NULL,
    "carrier" TEXT NOT NULL,
    "service" TEXT NOT NULL,
    "trackingNumber" TEXT NOT NULL,
    "labelUrl" TEXT,
    "status" TEXT NOT NULL,
    "purpose" TEXT NOT NULL DEFAULT 'ORDER',
    "lines" JSONB,
    "exception" TEXT,
    "resolution" TEXT,
    "bookedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deliveredAt" DATETIME,
    CONSTRAINT "Shipment_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Shipment" ("bookedAt", "carrier", "deliveredAt", "id", "labelUrl", "locationId", "orderId", "seq", "service", "status", "trackingNumber") SELECT "bookedAt", "carrier", "deliveredAt", "id", "labelUrl", "locationId", "orderId", "seq", "service", "status", "trackingNumber" FROM "Shipment";
DROP TABLE "Shipment";
ALTER TABLE "new_Shipment" RENAME TO "Shipment";
CREATE UNIQUE INDEX "Shipment_trackingNumber_key" ON "Shipment"("trackingNumber");
CREATE UNIQUE INDEX "Shipment_orderId_seq_key" ON "Shipment"("orderId", "seq");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "ReturnRequest_returnNumber_key" ON "ReturnRequest"("returnNumber");

-- CreateIndex
CREATE INDEX "ReturnRequest_orderId_idx" ON "ReturnRequest"("orderId");

-- CreateIndex
CREATE INDEX "ReturnRequest_reasonCode_idx" ON "ReturnRequest"("reasonCode");

-- CreateIndex
CREATE UNIQUE INDEX "Refund_key_key" ON "Refund"("key");

-- CreateIndex
CREATE INDEX "Refund_orderId_idx" ON "Refund"("orderId");

-- CreateIndex
CREATE UNIQUE INDEX "AuditEvent_key_key" ON "AuditEvent"("key");

-- CreateIndex
CREATE INDEX "AuditEvent_orderNumber_idx" ON "AuditEvent"("orderNumber");

-- CreateIndex
CREATE UNIQUE INDEX "BlockedCustomer_kind_value_key" ON "BlockedCustomer"("kind", "value");

