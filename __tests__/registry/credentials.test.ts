import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../src/core/errors';
import {
  Credential,
  credentialFromEntry,
  credentialFromHelper,
  credentialSources,
  CredentialStore,
  DockerConfig,
  keyHost,
  parseDockerConfig,
} from '../../src/core/registry/credentials';
import { basicAuth, dockerConfigDir, writeCredentialHelper } from './helpers/credential-helper';
import { recordingLog } from './helpers/recording-log';

const PATH = '/cfg/config.json';
const config = (data: object): DockerConfig => parseDockerConfig(JSON.stringify(data), PATH);

describe('parseDockerConfig', () => {
  it.each([
    ['{', 'It is not valid JSON'],
    ['[]', 'It is not a JSON object'],
    ['{"auths": []}', '"auths" must map hosts to objects'],
    ['{"auths": {"r": "x"}}', '"auths" must map hosts to objects'],
    ['{"credHelpers": {"r": 1}}', '"credHelpers" must map hosts to helper names'],
    ['{"credsStore": true}', '"credsStore" must be a string'],
    ['{"auths": {"r": {"auth": 5}}}', '"auths" entry "r" has a "auth" that is not a string'],
  ])('rejects %s without quoting it', (text, why) => {
    const parse = () => parseDockerConfig(text, PATH);
    expect(parse).toThrow(InputError);
    expect(parse).toThrow(`Invalid docker config: "${PATH}". ${why}: fix it, or set DOCKER_CONFIG`);
  });

  it('never quotes the file, which holds secrets', () => {
    const secret = 'c2VjcmV0LXBhc3N3b3Jk';
    expect(() => parseDockerConfig(`{"auths": {"r": {"auth": "${secret}"}} oops`, PATH)).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining(secret) }),
    );
  });
});

describe('credentialSources', () => {
  const full = config({
    auths: {
      'https://index.docker.io/v1/': { auth: 'aHViOnB3' },
      'https://reg.example.com/v2/': { auth: 'cmVnOnB3' },
      'localhost:5000': { auth: 'bG9jYWw6cHc=' },
    },
    credHelpers: { 'gcr.io': 'gcloud', 'docker.io': 'hubhelper' },
    credsStore: 'desktop',
  });

  it.each([
    [
      'gcr.io',
      [
        { helper: 'gcloud', serverUrl: 'gcr.io', origin: 'credHelpers["gcr.io"]' },
        { helper: 'desktop', serverUrl: 'gcr.io', origin: 'credsStore' },
      ],
    ],
    [
      'docker.io',
      [
        { helper: 'hubhelper', serverUrl: 'https://index.docker.io/v1/', origin: 'credHelpers["docker.io"]' },
        { helper: 'desktop', serverUrl: 'https://index.docker.io/v1/', origin: 'credsStore' },
        { entry: { auth: 'aHViOnB3' }, key: 'https://index.docker.io/v1/' },
      ],
    ],
    [
      'reg.example.com',
      [
        { helper: 'desktop', serverUrl: 'reg.example.com', origin: 'credsStore' },
        { entry: { auth: 'cmVnOnB3' }, key: 'https://reg.example.com/v2/' },
      ],
    ],
    [
      'localhost:5000',
      [
        { helper: 'desktop', serverUrl: 'localhost:5000', origin: 'credsStore' },
        { entry: { auth: 'bG9jYWw6cHc=' }, key: 'localhost:5000' },
      ],
    ],
  ])('%s', (domain, expected) => expect(credentialSources(full, domain)).toEqual(expected));

  it.each([
    [{ auths: { 'index.docker.io': { auth: 'eDp5' } } }, 'docker.io', 'index.docker.io'],
    [{ auths: { 'registry-1.docker.io': { auth: 'eDp5' } } }, 'docker.io', 'registry-1.docker.io'],
    [{ auths: { 'http://LOCALHOST:5000': { auth: 'eDp5' } } }, 'localhost:5000', 'http://LOCALHOST:5000'],
    [{ auths: { 'reg.io:5000': { auth: 'eDp5' } } }, 'reg.io', undefined],
  ])('auths key %j for %s', (data, domain, key) => {
    const sources = credentialSources(config(data), domain);
    expect(sources.map((s) => ('key' in s ? s.key : undefined))[0]).toBe(key);
  });

  it.each([
    ['https://index.docker.io/v1/', 'index.docker.io'],
    ['http://reg:5000/path', 'reg:5000'],
    ['Reg.IO', 'reg.io'],
  ])('keyHost(%s) = %s', (key, host) => expect(keyHost(key)).toBe(host));
});

describe('credentialFromEntry', () => {
  it.each<[object, Credential | undefined]>([
    [{ auth: basicAuth('alice', 'p:w') }, { kind: 'basic', username: 'alice', password: 'p:w' }],
    [
      { username: 'bob', password: 'pw' },
      { kind: 'basic', username: 'bob', password: 'pw' },
    ],
    [
      { identitytoken: 'tok', auth: basicAuth('a', 'b') },
      { kind: 'identity-token', token: 'tok' },
    ],
    [{}, undefined],
    [{ username: 'only' }, undefined],
  ])('%j', (entry, expected) => expect(credentialFromEntry(entry, 'k', PATH)).toEqual(expected));

  it.each([['not base64!'], [basicAuth('', 'pw')], [Buffer.from('nocolon').toString('base64')]])(
    'rejects auth %j',
    (auth) => {
      expect(() => credentialFromEntry({ auth }, 'reg.io', PATH)).toThrow(
        `Invalid docker config: "${PATH}". The "auth" of auths["reg.io"] is not base64 of user:password: run docker login again.`,
      );
    },
  );
});

describe('credentialFromHelper', () => {
  it.each<[string, Credential]>([
    ['{"Username":"u","Secret":"s"}', { kind: 'basic', username: 'u', password: 's' }],
    ['{"ServerURL":"x","Username":"<token>","Secret":"idt"}', { kind: 'identity-token', token: 'idt' }],
  ])('%s', (stdout, expected) =>
    expect(credentialFromHelper(stdout, 'docker-credential-x', 'credsStore', PATH)).toEqual(expected),
  );

  it.each([['not json'], ['{"Username":"u"}'], ['{"Username":"u","Secret":""}'], ['[1]']])(
    'rejects %j',
    (stdout) => {
      expect(() => credentialFromHelper(stdout, 'docker-credential-x', 'credsStore', PATH)).toThrow(
        `Invalid credential helper: "docker-credential-x". It printed something other than {"Username": ..., "Secret": ...}: fix the helper, or remove credsStore from ${PATH}.`,
      );
    },
  );
});

describe('CredentialStore with real helper programs', () => {
  const env = (configDir: string, binDir?: string): NodeJS.ProcessEnv => ({
    DOCKER_CONFIG: configDir,
    PATH: binDir ? `${binDir}:${process.env.PATH}` : process.env.PATH,
  });

  it('asks credHelpers[host] first, then falls through credsStore "not found" to auths, masking every secret', async () => {
    const helper = writeCredentialHelper('bxgtest', {
      answers: { 'reg.one': { Username: 'ann', Secret: 'helper-secret' } },
    });
    const dir = dockerConfigDir({
      credHelpers: { 'reg.one': 'bxgtest' },
      credsStore: 'bxgtest',
      auths: { 'reg.two': { auth: basicAuth('bob', 'file-secret') } },
    });
    const log = recordingLog();
    const store = new CredentialStore(log, 5000, env(dir, helper.binDir));
    expect(await store.get('reg.one')).toEqual({ kind: 'basic', username: 'ann', password: 'helper-secret' });
    expect(await store.get('reg.two')).toEqual({ kind: 'basic', username: 'bob', password: 'file-secret' });
    expect(await store.get('reg.three')).toBeUndefined();
    expect(helper.asked()).toEqual(['reg.one', 'reg.two', 'reg.three']);
    expect(log.secrets).toEqual(
      expect.arrayContaining([
        'helper-secret',
        basicAuth('ann', 'helper-secret'),
        'file-secret',
        basicAuth('bob', 'file-secret'),
      ]),
    );
    expect(log.text()).not.toMatch(/secret/);
  });

  it('asks once per registry', async () => {
    const helper = writeCredentialHelper('bxgonce', {
      answers: { 'reg.one': { Username: '<token>', Secret: 'idt' } },
    });
    const store = new CredentialStore(
      recordingLog(),
      5000,
      env(dockerConfigDir({ credsStore: 'bxgonce' }), helper.binDir),
    );
    await Promise.all([store.get('reg.one'), store.get('reg.one')]);
    expect(await store.get('reg.one')).toEqual({ kind: 'identity-token', token: 'idt' });
    expect(helper.asked()).toEqual(['reg.one']);
  });

  it('gives no credentials when the config does not exist', async () => {
    const store = new CredentialStore(recordingLog(), 5000, env('/nonexistent/bxg'));
    expect(await store.get('reg.one')).toBeUndefined();
  });

  it.each([
    [{ garbage: 'Username=u Secret=s' }, 'It printed something other than {"Username": ..., "Secret": ...}'],
    [
      { exitStatus: 2, stderr: 'keychain locked, password hunter2' },
      '`docker-credential-bxgbad get` failed with exit status 2 for reg.one',
    ],
    [{ hang: true as const }, 'It did not answer within 300 ms'],
  ])('a helper that misbehaves (%j) is one clear error, without its output', async (behaviour, why) => {
    const helper = writeCredentialHelper('bxgbad', behaviour);
    const dir = dockerConfigDir({ credHelpers: { 'reg.one': 'bxgbad' } });
    const store = new CredentialStore(recordingLog(), 300, env(dir, helper.binDir));
    const error = await store.get('reg.one').catch((e: Error) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toContain(
      `Invalid credential helper: "docker-credential-bxgbad". ${why}`,
    );
    expect((error as Error).message).toContain(`remove credHelpers["reg.one"] from ${dir}/config.json.`);
    expect((error as Error).message).not.toContain('hunter2');
  });

  it.each([
    [
      { credsStore: 'missing-helper-bxg' },
      'Invalid credential helper: "docker-credential-missing-helper-bxg". It is not on PATH: install it, or remove credsStore from',
    ],
    [{ credsStore: '../../bin/sh' }, 'credsStore names "../../bin/sh", which is not a helper name.'],
  ])('%j', async (data, message) => {
    const store = new CredentialStore(recordingLog(), 5000, env(dockerConfigDir(data)));
    await expect(store.get('reg.one')).rejects.toThrow(message);
  });

  it('names an unreadable config and how to fix it', async () => {
    // A directory where the file should be: unreadable for every user, root included.
    const dir = mkdtempSync(join(tmpdir(), 'bxg-docker-config-'));
    mkdirSync(join(dir, 'config.json'));
    const store = new CredentialStore(recordingLog(), 5000, env(dir));
    await expect(store.get('reg.one')).rejects.toThrow(
      `Invalid docker config: "${dir}/config.json". It cannot be read (EISDIR): make it a readable file, or set DOCKER_CONFIG to another directory.`,
    );
  });

  it('names a malformed config', async () => {
    const dir = dockerConfigDir('{"auths": ');
    const store = new CredentialStore(recordingLog(), 5000, env(dir));
    await expect(store.get('reg.one')).rejects.toThrow(
      `Invalid docker config: "${dir}/config.json". It is not valid JSON`,
    );
  });
});
