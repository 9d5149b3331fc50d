import type { KeyObject } from 'node:crypto'

/**
 * The key a token signer signs with: a WebCrypto key that cannot be exported, made from the DER
 * bytes, which are zeroed straight after. The app and the command line both make it here.
 */
export async function importSigningKey(privateKey: KeyObject): Promise<CryptoKey> {
  const der = privateKey.export({ type: 'pkcs8', format: 'der' })
  try {
    return await globalThis.crypto.subtle.importKey(
      'pkcs8',
      der,
      { name: 'ECDSA', namedCurve: 'P-256' },
      false,
      ['sign'],
    )
  } finally {
    der.fill(0)
  }
}
