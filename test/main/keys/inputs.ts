import { spawnSync } from 'node:child_process'
import { createHash, createPublicKey, generateKeyPairSync } from 'node:crypto'
import type { KeyObject } from 'node:crypto'

/**
 * Keys of every kind intake must accept or refuse, generated at run time (never committed).
 */

export const ISSUER_ID = '57246542-96fe-1a63-e053-0824d011072a'
export const KEY_ID = '2X9R4HXF34'

export interface P256Key {
  privateKey: KeyObject
  pem: string
  /** SHA-256 of the SPKI DER, computed here independently of the code under test. */
  fingerprint: string
}

export function p256(): P256Key {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  return {
    privateKey,
    pem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    fingerprint: createHash('sha256')
      .update(publicKey.export({ type: 'spki', format: 'der' }))
      .digest('hex'),
  }
}

export function fingerprintOfPem(pem: string): string {
  return createHash('sha256')
    .update(createPublicKey(pem).export({ type: 'spki', format: 'der' }))
    .digest('hex')
}

export function ecPkcs8(namedCurve: string): string {
  return generateKeyPairSync('ec', { namedCurve }).privateKey.export({
    type: 'pkcs8',
    format: 'pem',
  }) as string
}

export function ecSec1(namedCurve: string): string {
  return generateKeyPairSync('ec', { namedCurve }).privateKey.export({
    type: 'sec1',
    format: 'pem',
  }) as string
}

export function rsaKeys(): { pkcs8: string; pkcs1: string; publicPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  return {
    pkcs8: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    pkcs1: privateKey.export({ type: 'pkcs1', format: 'pem' }) as string,
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }) as string,
  }
}

export function encryptedPkcs8(key: P256Key): string {
  return key.privateKey.export({
    type: 'pkcs8',
    format: 'pem',
    cipher: 'aes-256-cbc',
    passphrase: 'correct horse',
  }) as string
}

export function encryptedSec1(key: P256Key): string {
  return key.privateKey.export({
    type: 'sec1',
    format: 'pem',
    cipher: 'aes-256-cbc',
    passphrase: 'correct horse',
  }) as string
}

/** A self-signed X.509 certificate, made by the openssl CLI. */
export function selfSignedCertificate(): string {
  const result = spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      '/dev/null',
      '-subj',
      '/CN=Ascent test',
      '-days',
      '1',
    ],
    { encoding: 'utf8' },
  )
  if (result.status !== 0) throw new Error(`openssl failed: ${result.stderr}`)
  return result.stdout
}

/** The base64 between the PEM header lines. */
export function pemBody(pem: string): string {
  return pem
    .split('\n')
    .filter((line) => line && !line.startsWith('-----'))
    .join('\n')
}

export function fastlaneJson(fields: Record<string, unknown>): string {
  return JSON.stringify(fields, null, 2)
}
