-- CreateTable
CREATE TABLE "SerialUnit" (
    "serial" TEXT NOT NULL,
    "sku" TEXT NOT NULL,
    "locationId" INTEGER,
    "status" TEXT NOT NULL,
    "reference" TEXT,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SerialUnit_pkey" PRIMARY KEY ("serial")
);

-- CreateTable
CREATE TABLE "SerialEvent" (
    "id" SERIAL NOT NULL,
    "serial" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "locationId" INTEGER,
    "reference" TEXT,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SerialEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "SerialUnit_sku_locationId_status_idx" ON "SerialUnit"("sku", "locationId", "status");

-- CreateIndex
CREATE INDEX "SerialEvent_serial_idx" ON "SerialEvent"("serial");

-- AddForeignKey
ALTER TABLE "SerialEvent" ADD CONSTRAINT "SerialEvent_serial_fkey" FOREIGN KEY ("serial") REFERENCES "SerialUnit"("serial") ON DELETE RESTRICT ON UPDATE CASCADE;

