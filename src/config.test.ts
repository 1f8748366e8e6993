import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { ConfigError, loadConfig, withDotEnv } from './config.js';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'accueil-config-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));
const load = (env: Record<string, string>) => loadConfig({ DATA_DIR: dataDir, SESSION_SECRET: 'x'.repeat(32), ...env });

describe('TRUST_PROXY names the proxies to trust, never "everyone"', () => {
  test('absent, empty or 0: no proxy is trusted', () => {
    assert.equal(load({}).trustProxy, false);
    assert.equal(load({ TRUST_PROXY: '' }).trustProxy, false);
    assert.equal(load({ TRUST_PROXY: '0' }).trustProxy, false);
  });

  test('a number is how many proxies stand in front of the app', () => {
    assert.equal(load({ TRUST_PROXY: '1' }).trustProxy, 1);
    assert.equal(load({ TRUST_PROXY: '2' }).trustProxy, 2);
  });

  test('a list of addresses and networks is kept as given', () => {
    assert.deepEqual(load({ TRUST_PROXY: '127.0.0.1, 10.0.0.0/8,::1,fd00::/8' }).trustProxy, ['127.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8']);
  });

  test('"true", garbage and impossible networks refuse to start with a readable message', () => {
    for (const bad of ['true', 'yes', '10.0.0.0/33', '300.1.1.1', 'proxy.example.org', '-1', '1.5']) {
      assert.throws(() => load({ TRUST_PROXY: bad }), (e: unknown) => e instanceof ConfigError && /TRUST_PROXY/.test(e.message), bad);
    }
  });
});

describe('a .env file', () => {
  test('is read when present, and the environment wins over it', () => {
    const file = path.join(dataDir, '.env');
    writeFileSync(file, '# local settings\nPORT=4100\nHOST=0.0.0.0\nMAIL_FROM="Accueil <accueil@exemple.fr>"\n');
    const env = withDotEnv({ HOST: '127.0.0.1' }, file);
    assert.deepEqual({ PORT: env.PORT, HOST: env.HOST, MAIL_FROM: env.MAIL_FROM }, { PORT: '4100', HOST: '127.0.0.1', MAIL_FROM: 'Accueil <accueil@exemple.fr>' });
    const config = load(env as Record<string, string>);
    assert.equal(config.port, 4100);
  });

  test('is not needed: without one, the environment is used as it is', () => {
    const env = { HOST: '::1' };
    assert.deepEqual(withDotEnv(env, path.join(dataDir, 'absent.env')), env);
  });
});
