/** Every piece of a private key, in every encoding it could take, for the secret-flow tests. */
import { createPrivateKey } from 'node:crypto'
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

export function secretFragments(pem: string): string[] {
  const body = pem.replace(/-----[A-Z ]+-----|\s/g, '')
  const d = String(createPrivateKey(pem).export({ format: 'jwk' }).d)
  const fragments = [
    d,
    Buffer.from(d, 'base64url').toString('hex'),
    Buffer.from(pem).toString('base64'),
  ]
  for (let start = 0; start + 24 <= body.length; start += 12)
    fragments.push(body.slice(start, start + 24))
  return fragments
}

export function filesUnder(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name)
    return statSync(path).isDirectory() ? filesUnder(path) : [path]
  })
}
