import { APPLE_API_BASE } from '../platform'
import { MAX_TOKEN_LIFETIME_SECONDS } from '../tokens'

/** The command line's help: an overview, and each command's own page. */

export const COMMANDS = ['doctor', 'token', 'teams', 'add', 'export'] as const
export type CommandName = (typeof COMMANDS)[number]

export function isCommandName(name: string | undefined): name is CommandName {
  return (COMMANDS as readonly string[]).includes(name ?? '')
}

const KEY_FLAGS = `The key (flags win over environment variables):
  --issuer-id UUID       the team's issuer ID                 env ASC_ISSUER_ID
  --key-id KEYID         the 10-character key ID              env ASC_KEY_ID
                         (else taken from AuthKey_KEYID.p8 or the fastlane file)
  --p8 FILE              the private key, AuthKey_KEYID.p8    env ASC_KEY_P8_BASE64 (the .p8, base64)
  --fastlane-json FILE   a fastlane API key file (key_id, issuer_id, key)
  --individual           an individual key: it has no issuer ID`

const TEAM_FLAG = `  --team NAME|KEYID      a key saved in Ascent (see ascent teams), instead of the flags above`

const EXIT = `Exit status: 0 done, 1 a problem with the key or the saved keys (the reason is printed),
2 a usage error.`

export const OVERVIEW = `Usage: ascent <command> [options]

Commands:
  doctor   check an App Store Connect API key with Apple and say what is wrong, if anything
  token    print a fresh token, for curl -H "Authorization: Bearer $(ascent token ...)"
  teams    list the keys saved in Ascent (the app and this command share them)
  add      check a key with Apple and save it in Ascent, as the app's Add Key wizard does
  export   write a saved key for CI: fastlane's JSON, the AuthKey .p8, or the CI variables

  ascent help COMMAND    that command's options (also: ascent COMMAND --help)
  ascent --version       Ascent's version

Saved keys: the private key in the Keychain (service "Ascent"), the rest in keys.json in
Ascent's data folder (~/Library/Application Support/Ascent on a Mac, ~/.config/Ascent on
Linux; ASCENT_DATA_DIR overrides it).

${EXIT}
`

const DOCTOR = `Usage: ascent doctor [key | --team NAME|KEYID] [--role ROLE] [--app-id ID] [--api-base URL]
                     [--timeout SECONDS] [--json]

Checks the key with App Store Connect and says what is wrong, if anything.

${KEY_FLAGS}
${TEAM_FLAG}

Options:
  --role ROLE            admin, app-manager or developer. Only admin is checked: fail unless the key
                         may list users. No read tells app-manager from developer, so those are
                         taken as given (JSON: "roleVerified": false)
  --app-id ID            also check that the key sees this app (its Apple ID)
  --api-base URL         another API base, such as the Apple sandbox (default ${APPLE_API_BASE});
                         https, or plain http to this computer only
  --timeout SECONDS      per request (default 20)
  --json                 print one JSON object: the diagnosis, its steps and warnings

With --team, the check is recorded in the team's history, as the app's Check Now does.

Examples:
  ascent doctor --issuer-id 57246542-96fe-1a63-e053-0824d011072a --p8 AuthKey_2X9R4HXF34.p8
  ascent doctor --team "Northwind Labs" --json

${EXIT}
`

const TOKEN = `Usage: ascent token [key | --team NAME|KEYID] [--scope REQUEST]... [--lifetime SECONDS]

Prints a fresh token, for curl -H "Authorization: Bearer $(ascent token ...)".

${KEY_FLAGS}
${TEAM_FLAG}

Options:
  --scope REQUEST        limit the token to this request, e.g. "GET /v1/apps" (repeatable)
  --lifetime SECONDS     61 to ${MAX_TOKEN_LIFETIME_SECONDS} (default 1140)

Example:
  curl -H "Authorization: Bearer $(ascent token --team Northwind --scope 'GET /v1/apps')" \\
    'https://api.appstoreconnect.apple.com/v1/apps?limit=5'

${EXIT}
`

const TEAMS = `Usage: ascent teams [--json]

Lists the keys saved in Ascent: name, type, key ID, issuer ID, role, status, last validated.

Options:
  --json                 print one JSON object: { dataDir, teams: [...] }

${EXIT}
`

const ADD = `Usage: ascent add [key] [--name NAME] [--role ROLE] [--api-base URL] [--timeout SECONDS] [--json]

Checks the key with Apple, as the app's wizard does, and saves it in Ascent: the private key in
the Keychain, the rest in keys.json. Nothing is saved when the check fails. To set up a Mac from
CI secrets: ASC_ISSUER_ID=… ASC_KEY_ID=… ASC_KEY_P8_BASE64=… ascent add

${KEY_FLAGS}

Options:
  --name NAME            the team's name (default: what the check saw, e.g. the apps' company)
  --role ROLE            admin, app-manager or developer, as for ascent doctor
  --api-base URL         another API base, such as the Apple sandbox (default ${APPLE_API_BASE});
                         https, or plain http to this computer only
  --timeout SECONDS      per request (default 20)
  --json                 print one JSON object: the check and the saved team

Example:
  ascent add --issuer-id 57246542-96fe-1a63-e053-0824d011072a --p8 AuthKey_2X9R4HXF34.p8 --name Northwind

${EXIT}
`

const EXPORT = `Usage: ascent export --team NAME|KEYID --format fastlane|p8|env [--out FILE] [--force]

Writes a saved key for CI or another tool, to a file only you can read (0600).

Options:
  --team NAME|KEYID      the saved key (see ascent teams)
  --format FORMAT        fastlane  fastlane's api_key_path JSON (key_id, issuer_id, key, duration,
                                   in_house)
                         p8        the key file, AuthKey_KEYID.p8 (xcrun notarytool, altool,
                                   xcodebuild -authenticationKeyPath)
                         env       ASC_ISSUER_ID, ASC_KEY_ID and ASC_KEY_P8_BASE64, one per line
                                   (for gh secret set --env-file FILE)
  --out FILE             where to write (default: the format's usual name in this folder);
                         --out - prints it instead
  --force                replace FILE if it exists (otherwise it is never overwritten)

Examples:
  ascent export --team Northwind --format p8 --out ~/.appstoreconnect/private_keys/AuthKey_2X9R4HXF34.p8
  ascent export --team 2X9R4HXF34 --format env --out ci.env && gh secret set --env-file ci.env

${EXIT}
`

export const COMMAND_HELP: Record<CommandName, string> = {
  doctor: DOCTOR,
  token: TOKEN,
  teams: TEAMS,
  add: ADD,
  export: EXPORT,
}
