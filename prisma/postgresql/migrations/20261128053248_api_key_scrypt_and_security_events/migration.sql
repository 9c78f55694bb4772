-- DropIndex
DROP INDEX "ApiKey_keyHash_key";

-- AlterTable (edited by hand: rows from before scrypt keep their SHA-256 as `sha256$<hex>` under `legacy-<id>`; the
-- API rehashes the bootstrap key's row with scrypt at its next start and revokes the others, see access/key-store.ts)
ALTER TABLE "ApiKey" ADD COLUMN     "lastUsedAt" TIMESTAMP(3),
ADD COLUMN     "publicId" TEXT,
ADD COLUMN     "secretHash" TEXT;
UPDATE "ApiKey" SET "publicId" = 'legacy-' || "id", "secretHash" = 'sha256$' || "keyHash";
ALTER TABLE "ApiKey" DROP COLUMN "keyHash",
ALTER COLUMN "publicId" SET NOT NULL,
ALTER COLUMN "secretHash" SET NOT NULL;

-- CreateTable
CREATE TABLE "SecurityEvent" (
    "id" SERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "keyId" INTEGER,
    "keyPrefix" TEXT,
    "method" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "ip" TEXT,
    "detail" TEXT,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SecurityEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "SecurityEvent_at_idx" ON "SecurityEvent"("at");

-- CreateIndex
CREATE UNIQUE INDEX "ApiKey_publicId_key" ON "ApiKey"("publicId");

