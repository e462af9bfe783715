import { describe, expect, it } from 'vitest';
import { readPodstackConfig } from '../../providers/podstack.js';
import { isJwt, qovery, readQoveryContext } from '../../providers/qovery.js';
import { headerFor } from '../../src/provider.js';

const b64 = (o: unknown) => Buffer.from(typeof o === 'string' ? o : JSON.stringify(o)).toString('base64url');
const JWT = `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64({ sub: 'u' })}.c2ln`;

describe('isJwt (Qovery: a JWT is sent as Bearer)', () => {
  it.each([
    [JWT, true],
    [`${b64({ alg: 'none' })}.${b64({})}.x`, true],
    ['qov_abcdefghijklmnop', false],
    ['a.b.c', false], // segments that do not decode to a JSON header
    [`${b64('not json')}.${b64({})}.sig`, false],
    [`${b64({ alg: 'RS256' })}.${b64({})}`, false], // two segments
    [`${b64({ alg: 'RS256' })}.${b64({})}.sig.extra`, false],
    [`${b64({ alg: 'RS256' })}.${b64({})}.si g`, false],
    [`${b64({ alg: 'RS256' })}..sig`, false],
    [`${b64('null')}.${b64({})}.sig`, false],
    ['', false],
  ])('%j → %s', (token, jwt) => {
    expect(isJwt(token)).toBe(jwt);
    expect(headerFor(qovery, token).value.split(' ')[0]).toBe(jwt ? 'Bearer' : 'Token');
  });
});

describe('readQoveryContext (context.json: no profiles)', () => {
  it.each([
    [
      { access_token: JWT, access_token_expiration: '2030-01-01T00:00:00Z' },
      'default',
      { found: true, token: JWT, expires: '2030-01-01T00:00:00Z' },
    ],
    [{ access_token: JWT }, 'default', { found: true, token: JWT }],
    // An epoch number is read (seconds, as written), not ignored: an expired session must not pass.
    [
      { access_token: JWT, access_token_expiration: 1_577_836_800 },
      'default',
      { found: true, token: JWT, expires: 1_577_836_800_000 },
    ],
    [
      { access_token: JWT },
      'prod',
      { found: false, reason: 'the Qovery CLI login has no profiles (serves default only)' },
    ],
    [{ refresh_token: 'r' }, 'default', { found: false, reason: 'no access_token' }],
    [{ access_token: '' }, 'default', { found: false, reason: 'no access_token' }],
    [{ access_token: 42 }, 'default', { found: false, reason: 'no access_token' }],
    [[JWT], 'default', { found: false, reason: 'not a JSON object' }],
    [null, 'default', { found: false, reason: 'not a JSON object' }],
    ['text', 'default', { found: false, reason: 'not a JSON object' }],
  ])('%j as %s', (doc, profile, read) => {
    expect(readQoveryContext(doc, profile)).toEqual(read);
  });
});

describe('readPodstackConfig (config.yaml: auth for default, profiles.<name> otherwise)', () => {
  const doc = {
    auth: { token: 'ps-default', expires: '2030-01-01T00:00:00Z' },
    profiles: {
      prod: { token: 'ps-prod', project: 'ml', api_endpoint: 'https://eu.example' },
      epoch: { token: 'ps-epoch', expires: 1_900_000_000 },
      empty: { token: '' },
      notoken: { project: 'x' },
    },
  };
  it.each([
    [doc, 'default', { found: true, token: 'ps-default', expires: '2030-01-01T00:00:00Z' }],
    [doc, 'prod', { found: true, token: 'ps-prod', project: 'ml', endpoint: 'https://eu.example' }],
    [doc, 'epoch', { found: true, token: 'ps-epoch', expires: 1_900_000_000_000 }],
    [doc, 'empty', { found: false, reason: 'no token in profiles.empty' }],
    [doc, 'notoken', { found: false, reason: 'no token in profiles.notoken' }],
    [doc, 'missing', { found: false, reason: 'no profiles.missing' }],
    [doc, 'toString', { found: false, reason: 'no profiles.toString' }],
    [{ profiles: {} }, 'default', { found: false, reason: 'no auth section' }],
    [{ auth: 'ps-flat' }, 'default', { found: false, reason: 'no auth section' }],
    [{ auth: { token: 7 } }, 'default', { found: false, reason: 'no token in auth section' }],
    [{ auth: {} }, 'prod', { found: false, reason: 'no profiles.prod' }],
    [null, 'default', { found: false, reason: 'empty file' }],
    [['x'], 'default', { found: false, reason: 'not a YAML mapping' }],
  ])('%j as %s', (d, profile, read) => {
    expect(readPodstackConfig(d, profile)).toEqual(read);
  });
});
