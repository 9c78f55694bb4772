/** A Temporal client for the API and scripts. */
import { Client, Connection } from '@temporalio/client';
import type { Config } from './config';

export async function connectTemporal(config: Pick<Config, 'temporalAddress' | 'temporalNamespace'>): Promise<Client> {
  const connection = await Connection.connect({ address: config.temporalAddress });
  return new Client({ connection, namespace: config.temporalNamespace });
}
