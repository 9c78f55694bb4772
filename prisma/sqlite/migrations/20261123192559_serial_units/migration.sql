-- CreateTable
CREATE TABLE "SerialUnit" (
    "serial" TEXT NOT NULL PRIMARY KEY,
    "sku" TEXT NOT NULL,
    "locationId" INTEGER,
    "status" TEXT NOT NULL,
    "reference" TEXT,
    "receivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "SerialEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "serial" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "locationId" INTEGER,
    "reference" TEXT,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "SerialEvent_serial_fkey" FOREIGN KEY ("serial") REFERENCES "SerialUnit" ("serial") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "SerialUnit_sku_locationId_status_idx" ON "SerialUnit"("sku", "locationId", "status");

-- CreateIndex
CREATE INDEX "SerialEvent_serial_idx" ON "SerialEvent"("serial");

