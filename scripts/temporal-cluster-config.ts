/**
 * What a Temporal cluster on PostgreSQL runs with: the server's static configuration, its dynamic configuration and
 * the Web UI's. Written as JSON, which YAML readers take as it is.
 */

export interface PostgresEndpoint {
  host: string;
  port: number;
  user: string;
  password: string;
}

export interface TemporalClusterPorts {
  frontend: number;
  frontendHttp: number;
  history: number;
  matching: number;
  worker: number;
  /** One membership (ringpop) port per service: frontend, history, matching, worker; below 32768 (stored as smallint). */
  membership: [number, number, number, number];
  /** The server's Prometheus metrics, on 127.0.0.1. */
  metrics: number;
}

/**
 * History shards are fixed when the cluster is first created and can never change: 4 is right for one PostgreSQL
 * on a small box; a cluster expected to grow far (several history hosts) should start with more (docs/operations.md).
 */
export const HISTORY_SHARDS = 4;

export function endpointOf(adminUrl: string): PostgresEndpoint {
  const url = new URL(adminUrl);
  return {
    host: url.hostname,
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username || 'postgres'),
    password: decodeURIComponent(url.password),
  };
}

export function temporalServerConfig(options: {
  postgres: PostgresEndpoint;
  databases: { main: string; visibility: string };
  ports: TemporalClusterPorts;
  dynamicConfigFile: string;
}): object {
  const { postgres, databases, ports } = options;
  const datastore = (databaseName: string, maxConns: number) => ({
    sql: {
      pluginName: 'postgres12',
      databaseName,
      connectAddr: `${postgres.host}:${postgres.port}`,
      connectProtocol: 'tcp',
      user: postgres.user,
      password: postgres.password,
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  });
  const service = (grpcPort: number, membershipPort: number, httpPort?: number) => ({
    rpc: { grpcPort, membershipPort, bindOnIP: '127.0.0.1', ...(httpPort ? { httpPort } : {}) },
  });
  return {
    log: { stdout: true, level: 'warn' },
    persistence: {
      defaultStore: 'postgres-default',
      visibilityStore: 'postgres-visibility',
      numHistoryShards: HISTORY_SHARDS,
      datastores: {
        'postgres-default': datastore(databases.main, 20),
        'postgres-visibility': datastore(databases.visibility, 4),
      },
    },
    global: {
      membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' },
      metrics: {
        prometheus: { framework: 'tally', timerType: 'histogram', listenAddress: `127.0.0.1:${ports.metrics}` },
      },
    },
    services: {
      frontend: service(ports.frontend, ports.membership[0], ports.frontendHttp),
      history: service(ports.history, ports.membership[1]),
      matching: service(ports.matching, ports.membership[2]),
      worker: service(ports.worker, ports.membership[3]),
    },
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: {
        active: {
          enabled: true,
          initialFailoverVersion: 1,
          rpcName: 'frontend',
          rpcAddress: `127.0.0.1:${ports.frontend}`,
        },
      },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    dynamicConfigClient: { filepath: options.dynamicConfigFile, pollInterval: '10s' },
  };
}

/** The same two settings the pinned CLI's dev server changes from the server's defaults. */
export const TEMPORAL_DYNAMIC_CONFIG = {
  'history.hostLevelCacheMaxSize': [{ value: 8096, constraints: {} }],
  'frontend.namespaceRPS.visibility': [{ value: 100, constraints: {} }],
};

/** The Web UI: read-only (nobody terminates or signals an order around the API), payloads through the API's codec. */
export function temporalUiConfig(options: {
  temporalAddress: string;
  port: number;
  namespace: string;
  codecEndpoint: string;
}): object {
  return {
    temporalGrpcAddress: options.temporalAddress,
    host: '127.0.0.1',
    port: options.port,
    publicPath: '',
    enableUi: true,
    defaultNamespace: options.namespace,
    notifyOnNewVersion: false,
    disableWriteActions: true,
    cors: { cookieInsecure: true, unsafeAllowAllOrigins: false, allowOrigins: [`http://127.0.0.1:${options.port}`] },
    codec: { endpoint: options.codecEndpoint, includeCredentials: true },
    auth: { enabled: false },
  };
}
