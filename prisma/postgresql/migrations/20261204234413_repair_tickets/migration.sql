-- CreateTable
CREATE TABLE "RepairTicket" (
    "id" SERIAL NOT NULL,
    "ticketNumber" TEXT NOT NULL,
    "serial" TEXT NOT NULL,
    "openSerial" TEXT,
    "sku" TEXT NOT NULL,
    "orderNumber" TEXT,
    "customerId" INTEGER,
    "locationId" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "fault" TEXT NOT NULL,
    "inWarranty" BOOLEAN NOT NULL,
    "soldAt" TIMESTAMP(3),
    "warrantyEndsAt" TIMESTAMP(3),
    "diagnosis" TEXT,
    "chargeMinor" INTEGER NOT NULL DEFAULT 0,
    "replacementSerial" TEXT,
    "contactName" TEXT,
    "contactPhone" TEXT,
    "contactEmail" TEXT,
    "language" TEXT NOT NULL DEFAULT 'zh-CN',
    "trackingToken" TEXT NOT NULL,
    "carrier" TEXT,
    "trackingNumber" TEXT,
    "receivedBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "closedAt" TIMESTAMP(3),

    CONSTRAINT "RepairTicket_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RepairEvent" (
    "id" SERIAL NOT NULL,
    "key" TEXT NOT NULL,
    "ticketId" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "note" TEXT,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RepairEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "RepairTicket_ticketNumber_key" ON "RepairTicket"("ticketNumber");

-- CreateIndex
CREATE UNIQUE INDEX "RepairTicket_openSerial_key" ON "RepairTicket"("openSerial");

-- CreateIndex
CREATE UNIQUE INDEX "RepairTicket_trackingToken_key" ON "RepairTicket"("trackingToken");

-- CreateIndex
CREATE INDEX "RepairTicket_serial_idx" ON "RepairTicket"("serial");

-- CreateIndex
CREATE INDEX "RepairTicket_customerId_idx" ON "RepairTicket"("customerId");

-- CreateIndex
CREATE INDEX "RepairTicket_status_idx" ON "RepairTicket"("status");

-- CreateIndex
CREATE UNIQUE INDEX "RepairEvent_key_key" ON "RepairEvent"("key");

-- CreateIndex
CREATE INDEX "RepairEvent_ticketId_idx" ON "RepairEvent"("ticketId");

-- AddForeignKey
ALTER TABLE "RepairTicket" ADD CONSTRAINT "RepairTicket_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RepairEvent" ADD CONSTRAINT "RepairEvent_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "RepairTicket"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

