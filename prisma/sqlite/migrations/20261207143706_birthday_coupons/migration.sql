-- AlterTable
ALTER TABLE "Coupon" ADD COLUMN "issueKey" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "Coupon_issueKey_key" ON "Coupon"("issueKey");

