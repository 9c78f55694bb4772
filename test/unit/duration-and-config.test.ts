import { parseDuration } from '../../lib/duration';
import { CONFIG_VARIABLES, loadConfig } from '../../lib/config';

describe('durations in configuration', () => {
  test.each([
    ['5s', 5_000],
    ['10m', 600_000],
    ['2h', 7_200_000],
    ['7d', 604_800_000],
    ['250ms', 250],
  ])('%s is %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  test.each(['', '7', 'd7', '1.5h', '-5s', '5 weeks'])('"%s" is refused with a hint', (text) => {
    expect(() => parseDuration(text)).toThrow(/e\.g\. 5s, 10m, 2h or 7d/);
  });
});

describe('configuration', () => {
  test('defaults need no editing', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.databaseUrl).toMatch(/^file:.*data\/oms\.db$/);
    expect(config.temporalEmbedded).toBe(true);
    expect(config.temporalAddress).toBe('127.0.0.1:7233');
    expect(config.mailEmbedded).toBe(true);
    expect(config.smtpUrl).toBe('smtp://127.0.0.1:1025');
    expect(config.afterSalesWindowMs).toBe(7 * 86_400_000);
    expect(config.bootstrapAdminKey).toBeUndefined();
  });

  test('an SLA per waiting stage, each overridable', () => {
    const config = loadConfig({ OMS_SLA_PICKING: '5s', OMS_SLA_DELIVERY: '2h' });
    expect(config.slaMs.PICKING).toBe(5_000);
    expect(config.slaMs.DELIVERY).toBe(7_200_000);
    expect(Object.keys(config.slaMs).sort()).toEqual([
      'BACKORDER',
      'DELIVERY',
      'PICKING',
      'PICKUP',
      'RETURN',
      'REVIEW',
    ]);
  });

  test('the shop language and the express threshold are settings, checked', () => {
    expect(loadConfig({})).toMatchObject({ language: 'en', expressFromMinor: 200_000 });
    expect(loadConfig({ OMS_LANGUAGE: 'zh-CN', OMS_EXPRESS_FROM_MINOR: '50000' })).toMatchObject({
      language: 'zh-CN',
      expressFromMinor: 50_000,
    });
    expect(() => loadConfig({ OMS_LANGUAGE: 'fr' })).toThrow(/OMS_LANGUAGE/);
    expect(() => loadConfig({ OMS_EXPRESS_FROM_MINOR: '12.5' })).toThrow(/OMS_EXPRESS_FROM_MINOR/);
  });

  test('a bad value names the variable', () => {
    expect(() => loadConfig({ OMS_AFTER_SALES_WINDOW: 'a week' })).toThrow(/OMS_AFTER_SALES_WINDOW/);
  });

  test('an external Temporal cluster and SMTP relay switch the embedded ones off', () => {
    const config = loadConfig({ TEMPORAL_ADDRESS: 'temporal.internal:7233', SMTP_URL: 'smtps://relay.example:465' });
    expect(config.temporalEmbedded).toBe(false);
    expect(config.mailEmbedded).toBe(false);
  });
});

describe('the configuration schema', () => {
  test('an empty variable means its default, like an unset one', () => {
    expect(loadConfig({ PORT: '', OMS_LANGUAGE: '', OMS_AFTER_SALES_WINDOW: '', TEMPORAL_ADDRESS: '' })).toEqual(
      loadConfig({}),
    );
  });

  test('every bad value is named, one a line', () => {
    let message = '';
    try {
      loadConfig({
        OMS_LANGUAGE: 'fr',
        OMS_SLA_PICKING: 'soon',
        OMS_WORKER_ACTIVITY_TASKS: '-1',
        OMS_WORKER_NICE: '20',
      });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message.split('\n').sort()).toEqual([
      'OMS_LANGUAGE: expected one of en, zh-CN, got "fr"',
      'OMS_SLA_PICKING: "soon" is not a duration: use a whole number and a unit, e.g. 5s, 10m, 2h or 7d',
      'OMS_WORKER_ACTIVITY_TASKS: expected a whole number, got "-1"',
      'OMS_WORKER_NICE: expected 0 (normal) to 19 (lowest), got 20',
    ]);
  });

  test('the variables it reads come from the schema, one per SLA stage among them', () => {
    expect(CONFIG_VARIABLES).toEqual(
      expect.arrayContaining(['PORT', 'DATABASE_URL', 'OMS_SLA_REVIEW', 'OMS_SLA_RETURN']),
    );
    expect(CONFIG_VARIABLES.filter((name) => name.startsWith('OMS_SLA_'))).toHaveLength(6);
  });
});

describe('TLS to Temporal', () => {
  test('is off unless a TEMPORAL_TLS_* is set; a client certificate and its key go together', () => {
    expect(loadConfig({}).temporalTls).toBeUndefined();
    expect(loadConfig({ TEMPORAL_TLS_CA: '/certs/ca.pem' }).temporalTls).toEqual({ caFile: '/certs/ca.pem' });
    expect(loadConfig({ TEMPORAL_TLS_CERT: '/certs/api.pem', TEMPORAL_TLS_KEY: '/certs/api.key' }).temporalTls).toEqual(
      { certFile: '/certs/api.pem', keyFile: '/certs/api.key' },
    );
    expect(() => loadConfig({ TEMPORAL_TLS_CERT: '/certs/api.pem' })).toThrow(/TEMPORAL_TLS_KEY: a client certificate/);
    expect(() => loadConfig({ TEMPORAL_TLS_KEY: '/certs/api.key' })).toThrow(/TEMPORAL_TLS_CERT: a client certificate/);
  });
});
