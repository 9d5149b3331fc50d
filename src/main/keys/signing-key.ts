import type { KeyObject, webcrypto } from 'node:crypto'
import { AppError } from '../errors'

/**
 * The key a token signer signs with: a WebCrypto key that cannot be exported, made from the DER
 * bytes, which are zeroed straight after. The app and the command line both make it here.
 */
export async function importSigningKey(privateKey: KeyObject): Promise<webcrypto.CryptoKey> {
  // Intake refuses other keys; this keeps any other way in (a keychain item edited by hand, the
  // command line) from reaching the signer with one.
  if (
    privateKey.type !== 'private' ||
    privateKey.asymmetricKeyType !== 'ec' ||
    privateKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1'
  ) {
    throw new AppError(
      'keys.not_p256',
      'This is not a P-256 private key, the only kind App Store Connect accepts. Import the AuthKey_XXXXXXXXXX.p8 file App Store Connect gave you.',
    )
  }
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
