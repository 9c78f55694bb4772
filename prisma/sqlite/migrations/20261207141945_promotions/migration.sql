-- CreateTable
CREATE TABLE "Promotion" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "definition" JSONB NOT NULL,
    "startsAt" DATETIME,
    "endsAt" DATETIME,
    "endedAt" DATETIME,
    "couponRequired" BOOLEAN NOT NULL DEFAULT false,
    "exclusive" BOOLEAN NOT NULL DEFAULT false,
    "priority" INTEGER NOT NULL DEFAULT 0,
    "createdBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Coupon" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "code" TEXT NOT NULL,
    "promotionId" INTEGER NOT NULL,
    "maxUses" INTEGER,
    "perCustomer" INTEGER,
    "used" INTEGER NOT NULL DEFAULT 0 CONSTRAINT "Coupon_used_within_limit" CHECK ("used" >= 0 AND ("maxUses" IS NULL OR "used" <= "maxUses")),
    "customerId" INTEGER,
    "expiresAt" DATETIME,
    "createdBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Coupon_promotionId_fkey" FOREIGN KEY ("promotionId") REFERENCES "Promotion" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "CouponRedemption" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "couponId" INTEGER NOT NULL,
    "orderNumber" TEXT NOT NULL,
    "customerId" INTEGER,
    "releasedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "CouponRedemption_couponId_fkey" FOREIGN KEY ("couponId") REFERENCES "Coupon" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "OrderDiscount" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "orderId" INTEGER NOT NULL,
    "promotionId" INTEGER,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "amountMinor" INTEGER NOT NULL,
    CONSTRAINT "OrderDiscount_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "OrderDiscount_promotionId_fkey" FOREIGN KEY ("promotionId") REFERENCES "Promotion" ("id") ON DELETE SET NULL ON UPDATE CASCADE
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
    "trackingToken" TEXT,
    "pointsRedeemed" INTEGER NOT NULL DEFAULT 0,
    "pointsMinor" INTEGER NOT NULL DEFAULT 0,
    "shippingAddress" JSONB NOT NULL,
    "language" TEXT NOT NULL DEFAULT 'en',
    "currency" TEXT NOT NULL DEFAULT 'CNY',
    "totalMinor" INTEGER NOT NULL,
    "discountMinor" INTEGER NOT NULL DEFAULT 0,
    "pricing" JSONB,
    "quotedMinor" INTEGER,
    "paymentStatus" TEXT NOT NULL,
    "paymentReference" TEXT,
    "capturedMinor" INTEGER,
    "paymentLegacy" BOOLEAN NOT NULL DEFAULT false,
    "fulfilment" TEXT NOT NULL DEFAULT 'SHIP',
    "pickupLocationId" INTEGER,
    "urgent" BOOLEAN NOT NULL DEFAULT false,
    "note" TEXT,
    "reviewReasons" JSONB,
    "backorderedAt" DATETIME,
    "closedReason" TEXT,
    "deliveredAt" DATETIME,
    "workflowStarted" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Order_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Order" ("backorderedAt", "capturedMinor", "channel", "closedReason", "createdAt", "currency", "customerEmail", "customerId", "customerName", "customerPhone", "deliveredAt", "externalId", "fulfilment", "id", "language", "note", "orderNumber", "paymentLegacy", "paymentReference", "paymentStatus", "pickupLocationId", "pointsMinor", "pointsRedeemed", "reviewReasons", "shippingAddress", "status", "totalMinor", "trackingToken", "updatedAt", "urgent", "workflowStarted") SELECT "backorderedAt", "capturedMinor", "channel", "closedReason", "createdAt", "currency", "customerEmail", "customerId", "customerName", "customerPhone", "deliveredAt", "externalId", "fulfilment", "id", "language", "note", "orderNumber", "paymentLegacy", "paymentReference", "paymentStatus", "pickupLocationId", "pointsMinor", "pointsRedeemed", "reviewReasons", "shippingAddress", "status", "totalMinor", "trackingToken", "updatedAt", "urgent", "workflowStarted" FROM "Order";
DROP TABLE "Order";
ALTER TABLE "new_Order" RENAME TO "Order";
CREATE UNIQUE INDEX "Order_orderNumber_key" ON "Order"("orderNumber");
CREATE UNIQUE INDEX "Order_trackingToken_key" ON "Order"("trackingToken");
CREATE UNIQUE INDEX "Order_paymentReference_key" ON "Order"("paymentReference");
CREATE INDEX "Order_customerId_idx" ON "Order"("customerId");
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
    "discountMinor" INTEGER NOT NULL DEFAULT 0,
    "gift" BOOLEAN NOT NULL DEFAULT false,
    "adjustments" JSONB,
    "cancelledQuantity" INTEGER NOT NULL DEFAULT 0,
    "substitutedFrom" TEXT,
    CONSTRAINT "OrderLine_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_OrderLine" ("cancelledQuantity", "id", "lineNo", "orderId", "quantity", "sku", "substitutedFrom", "unitPriceMinor") SELECT "cancelledQuantity", "id", "lineNo", "orderId", "quantity", "sku", "substitutedFrom", "unitPriceMinor" FROM "OrderLine";
DROP TABLE "OrderLine";
ALTER TABLE "new_OrderLine" RENAME TO "OrderLine";
CREATE UNIQUE INDEX "OrderLine_orderId_lineNo_key" ON "OrderLine"("orderId", "lineNo");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "Promotion_code_key" ON "Promotion"("code");

-- CreateIndex
CREATE INDEX "Promotion_endedAt_idx" ON "Promotion"("endedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Coupon_code_key" ON "Coupon"("code");

-- CreateIndex
CREATE INDEX "Coupon_promotionId_idx" ON "Coupon"("promotionId");

-- CreateIndex
CREATE INDEX "Coupon_customerId_idx" ON "Coupon"("customerId");

-- CreateIndex
CREATE INDEX "CouponRedemption_couponId_customerId_idx" ON "CouponRedemption"("couponId", "customerId");

-- CreateIndex
CREATE INDEX "CouponRedemption_orderNumber_idx" ON "CouponRedemption"("orderNumber");

-- CreateIndex
CREATE UNIQUE INDEX "CouponRedemption_couponId_orderNumber_key" ON "CouponRedemption"("couponId", "orderNumber");

-- CreateIndex
CREATE INDEX "OrderDiscount_orderId_idx" ON "OrderDiscount"("orderId");

-- CreateIndex
CREATE INDEX "OrderDiscount_promotionId_idx" ON "OrderDiscount"("promotionId");

