import { join } from 'node:path'
import type { CiSetup, ExportChoice, ExportFormat } from '../../shared/contract/key-life'
import type { KeyType } from '../../shared/keys'

/**
 * What an export holds, format by format, and what the Export sheet says about each. The private
 * key comes in as PKCS#8 PEM bytes; the result is bytes too, for the caller to zero when written.
 */

export interface ExportedKey {
  keyType: KeyType
  keyId: string
  issuerId: string | null
}

/** fastlane refuses `duration` above 1200 seconds (Apple's limit). */
const FASTLANE_DURATION_SECONDS = 1200

/** Where `xcrun altool` and `notarytool` look for AuthKey_<KEYID>.p8, relative to the home folder. */
export const PRIVATE_KEYS_FOLDER = join('.appstoreconnect', 'private_keys')

export function exportFileName(format: ExportFormat, keyId: string): string {
  switch (format) {
    case 'p8':
      return `AuthKey_${keyId}.p8`
    case 'fastlane':
      return `api_key_${keyId}.json`
    case 'env':
      return `asc_${keyId}.env`
  }
}

export function exportFolder(format: ExportFormat, homeDir: string): string {
  return format === 'p8' ? join(homeDir, PRIVATE_KEYS_FOLDER) : homeDir
}

/** The file's bytes: the .p8 as it came from Apple, fastlane's JSON, or three `NAME=value` lines. */
export function fileContent(format: ExportFormat, key: ExportedKey, pem: Buffer): Buffer {
  switch (format) {
    case 'p8':
      return Buffer.from(pem)
    case 'fastlane':
      return fastlaneJson(key, pem)
    case 'env': {
      const lines = variables(key).map(({ name, value }) => `${name}=${value ?? ''}\n`)
      const base64 = pem.toString('base64')
      return Buffer.from(`${lines.join('')}ASC_KEY_P8_BASE64=${base64}\n`)
    }
  }
}

/**
 * What Copy puts on the clipboard: the file's text, except for CI variables, where it is the one
 * secret value (ASC_KEY_P8_BASE64), ready for `pbpaste | gh secret set ASC_KEY_P8_BASE64`.
 */
export function clipboardContent(format: ExportFormat, key: ExportedKey, pem: Buffer): Buffer {
  return format === 'env' ? Buffer.from(pem.toString('base64')) : fileContent(format, key, pem)
}

function fastlaneJson(key: ExportedKey, pem: Buffer): Buffer {
  // Built by hand so the PEM goes from one buffer into the other, not through an object.
  const ids =
    key.keyType === 'team' && key.issuerId
      ? `  "key_id": ${JSON.stringify(key.keyId)},\n  "issuer_id": ${JSON.stringify(key.issuerId)},\n`
      : `  "key_id": ${JSON.stringify(key.keyId)},\n`
  // A PEM holds base64, its armor lines and line breaks: only the breaks need escaping.
  const escapedPem = pem.toString('utf8').replace(/\r/g, '').replace(/\n/g, '\\n')
  return Buffer.from(
    `{\n${ids}  "key": "${escapedPem}",\n  "duration": ${FASTLANE_DURATION_SECONDS},\n  "in_house": false\n}\n`,
  )
}

function variables(key: ExportedKey): { name: 'ASC_ISSUER_ID' | 'ASC_KEY_ID'; value: string }[] {
  return key.keyType === 'team' && key.issuerId
    ? [
        { name: 'ASC_ISSUER_ID', value: key.issuerId },
        { name: 'ASC_KEY_ID', value: key.keyId },
      ]
    : [{ name: 'ASC_KEY_ID', value: key.keyId }]
}

export function exportChoices(
  key: ExportedKey,
  teamName: string,
  homeDir: string,
  secretStore: string,
): ExportChoice[] {
  const leaves = (where: string) =>
    `The private key of “${teamName}” (${key.keyId}) leaves the ${secretStore} ${where}. Anyone who can read it can use the key until it is revoked.`
  const file = (format: ExportFormat) => ({
    fileName: exportFileName(format, key.keyId),
    folder: exportFolder(format, homeDir),
  })
  return [
    {
      format: 'fastlane',
      title: 'fastlane API key (JSON)',
      purpose:
        key.keyType === 'team'
          ? 'For fastlane’s api_key_path: key_id, issuer_id, the key, duration and in_house.'
          : 'For fastlane’s api_key_path: key_id, the key, duration and in_house (individual keys have no issuer_id).',
      ...file('fastlane'),
      leaves: leaves('as a JSON file'),
      copies: 'The JSON file’s text.',
    },
    {
      format: 'p8',
      title: `AuthKey_${key.keyId}.p8`,
      purpose:
        'The key file itself, for xcrun notarytool, altool (which look in ~/.appstoreconnect/private_keys) and xcodebuild -authenticationKeyPath.',
      ...file('p8'),
      leaves: leaves('as a .p8 file'),
      copies: 'The .p8 file’s text (PEM).',
    },
    {
      format: 'env',
      title: 'CI variables',
      purpose:
        key.keyType === 'team'
          ? 'ASC_ISSUER_ID, ASC_KEY_ID and ASC_KEY_P8_BASE64, as ascent doctor and most CI setups read them.'
          : 'ASC_KEY_ID and ASC_KEY_P8_BASE64 (individual keys have no issuer ID; run ascent doctor --individual).',
      ...file('env'),
      leaves: leaves('base64-encoded, as ASC_KEY_P8_BASE64'),
      copies: 'The value of ASC_KEY_P8_BASE64 only; the IDs are shown here.',
    },
  ]
}

/** The CI variables, a GitHub Actions job using them, and `gh secret set` for the IDs: no secret. */
export function ciSetup(key: ExportedKey): CiSetup {
  const ids = variables(key)
  const names = [...ids.map((variable) => variable.name), 'ASC_KEY_P8_BASE64' as const]
  const envLines = names.map((name) => `          ${name}: \${{ secrets.${name} }}`).join('\n')
  const doctor = key.keyType === 'team' ? 'npx ascent doctor' : 'npx ascent doctor --individual'
  const githubActions = `jobs:
  release:
    runs-on: macos-latest
    steps:
      - uses: actions/checkout@v4
      - name: App Store Connect API key
        env:
${envLines}
        run: |
          mkdir -p ~/.appstoreconnect/private_keys
          echo "$ASC_KEY_P8_BASE64" | base64 --decode > ~/.appstoreconnect/private_keys/AuthKey_$ASC_KEY_ID.p8
          chmod 600 ~/.appstoreconnect/private_keys/AuthKey_$ASC_KEY_ID.p8
      - name: Check the key
        run: ${doctor}
        env:
${envLines}
`
  return {
    variables: [
      ...ids.map((variable) => ({ ...variable, secret: false })),
      { name: 'ASC_KEY_P8_BASE64', value: null, secret: true },
    ],
    githubActions,
    ghSecretCommands: ids.map(({ name, value }) => `gh secret set ${name} --body ${value}`),
  }
}

/** After an export of the CI variables: how to store the key's own secret with `gh`. */
export function ghCommandsAfterExport(
  format: ExportFormat,
  key: ExportedKey,
  result: { path: string } | { clipboard: string },
): string[] {
  if (format !== 'env') return []
  if ('path' in result) return [`gh secret set --env-file ${shellQuote(result.path)}`]
  return [...ciSetup(key).ghSecretCommands, `${result.clipboard} | gh secret set ASC_KEY_P8_BASE64`]
}

/** The shell command that prints the clipboard, for commands the user pastes into a terminal. */
export function pasteCommand(platform: NodeJS.Platform = process.platform): string {
  if (platform === 'darwin') return 'pbpaste'
  if (platform === 'win32') return 'powershell -command Get-Clipboard'
  return 'xclip -selection clipboard -o'
}

export function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`
}
