-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "pointsMinor" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "pointsRedeemed" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "Customer" ADD COLUMN     "pointsBalance" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "tierCode" TEXT NOT NULL DEFAULT 'STANDARD',
ADD COLUMN     "tierSince" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "PointsMovement" (
    "id" SERIAL NOT NULL,
    "key" TEXT NOT NULL,
    "customerId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "points" INTEGER NOT NULL,
    "balanceAfter" INTEGER NOT NULL,
    "orderNumber" TEXT,
    "moneyMinor" INTEGER,
    "expiresAt" TIMESTAMP(3),
    "lapseChecked" BOOLEAN NOT NULL DEFAULT false,
    "actor" TEXT NOT NULL,
    "reason" TEXT,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PointsMovement_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "PointsMovement_key_key" ON "PointsMovement"("key");

-- CreateIndex
CREATE INDEX "PointsMovement_customerId_at_idx" ON "PointsMovement"("customerId", "at");

-- CreateIndex
CREATE INDEX "PointsMovement_orderNumber_idx" ON "PointsMovement"("orderNumber");

-- CreateIndex
CREATE INDEX "PointsMovement_lapseChecked_expiresAt_idx" ON "PointsMovement"("lapseChecked", "expiresAt");

-- AddForeignKey
ALTER TABLE "PointsMovement" ADD CONSTRAINT "PointsMovement_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- Added by hand: points can never go below 0 (orders/points.ts relies on it as the last guard).
ALTER TABLE "Customer" ADD CONSTRAINT "Customer_points_not_negative" CHECK ("pointsBalance" >= 0);
