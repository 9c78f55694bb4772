-- AlterTable
ALTER TABLE "TrackingEvent" ADD COLUMN     "ignoredReason" TEXT;
