/**
 * TLS (and mutual TLS) from the API, the worker and the scripts to a Temporal cluster: the server's CA, this
 * process's client certificate and key (PEM files; `npm run temporal:certs` makes a set for a cluster of our own),
 * and the name on the server's certificate when it is not the host dialled. With client certificates the cluster can
 * refuse any caller but the API and the workers (docs/security.md#temporal-as-a-trust-boundary).
 */
import fs from 'node:fs';
import type { TLSConfig } from '@temporalio/client';

export interface TemporalTlsSetting {
  caFile?: string;
  certFile?: string;
  keyFile?: string;
  serverName?: string;
}

/** The SDK's TLS options (for Connection and NativeConnection alike), or undefined for a plain connection. */
export function temporalTlsConfig(setting: TemporalTlsSetting | undefined): TLSConfig | undefined {
  if (!setting) return undefined;
  const read = (file: string) => fs.readFileSync(file);
  return {
    serverNameOverride: setting.serverName,
    serverRootCACertificate: setting.caFile ? read(setting.caFile) : undefined,
    clientCertPair:
      setting.certFile && setting.keyFile ? { crt: read(setting.certFile), key: read(setting.keyFile) } : undefined,
  };
}
