/** The local carrier stand-in's test controls, as the suites drive them. */
import type { TestSystem } from './system';

/**
 * Puts a carrier outcome on the order's next parcel; must be set before the order is picked. EXCEPTION: in transit,
 * then the exception `detail`; STALL: in transit, then the carrier sends nothing more.
 */
export async function setCarrierScenario(
  system: TestSystem,
  orderNumber: string,
  outcome: 'EXCEPTION' | 'STALL',
  detail?: string,
): Promise<void> {
  const response = await fetch(`${system.carrierUrl}/v1/scenarios`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...system.carrierTestHeaders },
    body: JSON.stringify({ reference: orderNumber, outcome, detail }),
  });
  if (!response.ok) throw new Error(`carrier scenario for ${orderNumber}: ${response.status} ${await response.text()}`);
}
