import type { IntakeRefusal } from '../../shared/contract/keys'
import type { CodesOf } from '../../shared/errors'

/**
 * Why intake turned an input away. Codes are stable (the UI and tests branch on them):
 *
 * - `intake.not_a_key`            nothing key-like: plain text, an ID pasted instead of the key
 * - `intake.clipboard_empty`      the clipboard holds no text
 * - `intake.certificate`          an X.509 certificate (the public half, signed)
 * - `intake.certificate_request`  a certificate signing request (CSR)
 * - `intake.public_key`           a public key (SPKI or PKCS#1)
 * - `intake.rsa_key`              an RSA private key (PKCS#8 or PKCS#1)
 * - `intake.wrong_curve`          an EC key on a curve other than P-256 (the message names it)
 * - `intake.unsupported_key`      another private key type (Ed25519, DSA, OpenSSH, ...)
 * - `intake.encrypted_key`        a passphrase-protected key (PKCS#8 or legacy PEM encryption)
 * - `intake.sec1_unreadable`      an `EC PRIVATE KEY` that could not be converted to PKCS#8
 * - `intake.truncated`            a key cut short (no END line, or fewer bytes than it declares)
 * - `intake.damaged`              a complete-looking key whose contents do not decode
 * - `intake.multiple_keys`        more than one private key in one input
 * - `intake.fastlane_json_invalid` JSON that is not a usable fastlane API key file
 * - `intake.too_large`            over 16 KiB (a .p8 is about 250 bytes)
 * - `intake.file_missing`         no file at that path
 * - `intake.file_unreadable`      the file exists but cannot be read (permissions, I/O)
 * - `intake.is_directory`         a folder, not a file
 * - `intake.not_a_file`           a device, socket or pipe
 * - `intake.wrong_file_type`      a file whose name does not end in .p8, .json, .pem, .der or .txt
 * - `intake.not_on_disk`          a dropped item with no file behind it (from a browser or an app
 *                                 that hands over contents only): the drop gave no path
 */
export type IntakeRefusalCode = CodesOf<'intake'>

export interface Refusal extends IntakeRefusal {
  code: IntakeRefusalCode
}

/** The largest input intake reads; Apple's .p8 is about 250 bytes, a fastlane JSON about 400. */
export const MAX_INPUT_BYTES = 16 * 1024

const DOWNLOAD_AGAIN =
  'Use the AuthKey_XXXXXXXXXX.p8 file App Store Connect gave you (Users and Access → Integrations → App Store Connect API). If it is lost, revoke the key there and generate a new one.'

const TO_PKCS8 = 'openssl pkcs8 -topk8 -nocrypt -in key.pem -out AuthKey.p8'

/** `prime256v1` → `P-256`: the names people know curves by. */
function curveName(namedCurve: string | undefined): string {
  switch (namedCurve) {
    case 'prime256v1':
      return 'P-256'
    case 'secp384r1':
      return 'P-384'
    case 'secp521r1':
      return 'P-521'
    case undefined:
      return 'an unknown curve'
    default:
      return namedCurve
  }
}

function refusal(code: IntakeRefusalCode, message: string, fix: string | null): Refusal {
  return { code, message, fix }
}

export const refusals = {
  notAKey: (detail?: string) =>
    refusal(
      'intake.not_a_key',
      detail ??
        'This is not a private key. An App Store Connect key is a .p8 file whose first line reads BEGIN PRIVATE KEY.',
      DOWNLOAD_AGAIN,
    ),
  pastedIssuerId: () =>
    refusal(
      'intake.not_a_key',
      'This is an issuer ID, not the private key. Type it into the Issuer ID field instead.',
      'Open the AuthKey_XXXXXXXXXX.p8 file (or copy its whole contents) to add the private key.',
    ),
  pastedKeyId: () =>
    refusal(
      'intake.not_a_key',
      'This is a key ID, not the private key. Type it into the Key ID field instead.',
      'Open the AuthKey_XXXXXXXXXX.p8 file (or copy its whole contents) to add the private key.',
    ),
  clipboardEmpty: () =>
    refusal(
      'intake.clipboard_empty',
      'The clipboard holds no text.',
      'Open the .p8 file in a text editor, copy all of it, then paste again.',
    ),
  certificate: () =>
    refusal(
      'intake.certificate',
      'This is a certificate, not a private key. App Store Connect API keys are private keys, not signing certificates.',
      DOWNLOAD_AGAIN,
    ),
  certificateRequest: () =>
    refusal(
      'intake.certificate_request',
      'This is a certificate signing request (CSR), not a private key.',
      DOWNLOAD_AGAIN,
    ),
  publicKey: () =>
    refusal(
      'intake.public_key',
      'This is a public key. Signing needs the private key, which Apple gives you once as a .p8 file.',
      DOWNLOAD_AGAIN,
    ),
  rsaKey: (format: 'PKCS#8' | 'PKCS#1') =>
    refusal(
      'intake.rsa_key',
      `This is an RSA private key (${format}). App Store Connect keys are EC keys on the P-256 curve.`,
      DOWNLOAD_AGAIN,
    ),
  wrongCurve: (namedCurve: string | undefined, sec1: boolean) =>
    refusal(
      'intake.wrong_curve',
      `This EC key uses the ${curveName(namedCurve)} curve. App Store Connect keys use P-256 (prime256v1), so this is not one of them.`,
      sec1
        ? `${DOWNLOAD_AGAIN} If you converted Apple's file yourself, convert the original instead: ${TO_PKCS8}`
        : DOWNLOAD_AGAIN,
    ),
  unsupportedKey: (what: string) =>
    refusal(
      'intake.unsupported_key',
      `This is ${what}. App Store Connect keys are EC keys on the P-256 curve.`,
      DOWNLOAD_AGAIN,
    ),
  encrypted: () =>
    refusal(
      'intake.encrypted_key',
      'This private key is protected by a passphrase. Apple’s .p8 files are not, and Ascent stores the key in the keychain instead.',
      `Remove the passphrase (you will be asked for it), then import the new file: ${TO_PKCS8}`,
    ),
  sec1Unreadable: () =>
    refusal(
      'intake.sec1_unreadable',
      'This EC PRIVATE KEY (SEC1) could not be converted to the PKCS#8 form Apple uses.',
      `Convert it with: ${TO_PKCS8}`,
    ),
  truncated: () =>
    refusal(
      'intake.truncated',
      'This key is incomplete: it was cut off before its end.',
      'Copy the whole file, from its BEGIN PRIVATE KEY line to its END PRIVATE KEY line, or choose the .p8 file itself.',
    ),
  damaged: () =>
    refusal(
      'intake.damaged',
      'This key is damaged: its contents do not decode as a private key.',
      `Choose the original .p8 file. ${DOWNLOAD_AGAIN}`,
    ),
  multipleKeys: () =>
    refusal(
      'intake.multiple_keys',
      'This holds more than one private key, so Ascent cannot tell which one you mean.',
      'Import each AuthKey_XXXXXXXXXX.p8 file on its own.',
    ),
  fastlaneInvalid: (detail: string) =>
    refusal(
      'intake.fastlane_json_invalid',
      `This JSON is not a usable fastlane API key file: ${detail}`,
      'A fastlane key file looks like {"key_id": "…", "issuer_id": "…", "key": "<the text of the .p8 file>"}. Or import the .p8 file itself.',
    ),
  /** The size is not echoed: it would tell whoever reads the message about a file never read. */
  tooLarge: () =>
    refusal(
      'intake.too_large',
      'This is over 16 KB, far larger than a key file (about 250 bytes), so Ascent did not read it.',
      'Choose the AuthKey_XXXXXXXXXX.p8 file itself.',
    ),
  fileMissing: (fileName: string) =>
    refusal(
      'intake.file_missing',
      `There is no file named ${fileName} there any more.`,
      'Choose the file again; it may have been moved or renamed.',
    ),
  fileUnreadable: (fileName: string, permission: boolean) =>
    refusal(
      'intake.file_unreadable',
      permission ? `Ascent is not allowed to read ${fileName}.` : `${fileName} could not be read.`,
      permission
        ? 'Check the file’s permissions (Get Info → Sharing & Permissions), or copy it somewhere you own and choose the copy.'
        : 'Copy the file to your Mac’s disk and choose the copy.',
    ),
  isDirectory: (fileName: string) =>
    refusal(
      'intake.is_directory',
      `${fileName} is a folder, not a key file.`,
      'Open the folder and choose the AuthKey_XXXXXXXXXX.p8 file inside it.',
    ),
  notAFile: (fileName: string) =>
    refusal(
      'intake.not_a_file',
      `${fileName} is not a regular file.`,
      'Choose the AuthKey_XXXXXXXXXX.p8 file itself.',
    ),
  wrongFileType: (fileName: string) =>
    refusal(
      'intake.wrong_file_type',
      `${fileName} is not a key file: Ascent reads .p8 key files, fastlane .json files, and keys saved as .pem, .der or .txt.`,
      'Choose the AuthKey_XXXXXXXXXX.p8 file App Store Connect gave you.',
    ),
  notOnDisk: () =>
    refusal(
      'intake.not_on_disk',
      'This isn’t a file on your disk, so Ascent has nothing to read. Items dragged from a browser or from some apps carry no file.',
      'Save the key as a file first, then drop or choose it. Or copy the key’s text and paste it.',
    ),
}
