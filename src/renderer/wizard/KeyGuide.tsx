import { ExternalLink } from 'lucide-react'
import { openApiKeysPage } from './links'

/** The start: the three pieces, where they are, and which role and kind of key to create. */
export function KeyGuide() {
  return (
    <section className="wizard-guide" aria-label="What you need">
      <ul className="wizard-pieces">
        <li>
          <strong>Private key</strong>
          <span>
            The <code>AuthKey_XXXXXXXXXX.p8</code> file, downloadable once when the key is
            generated.
          </span>
        </li>
        <li>
          <strong>Key ID</strong>
          <span>10 letters and digits, in the keys list and in the file name.</span>
        </li>
        <li>
          <strong>Issuer ID</strong>
          <span>A UUID above the Team Keys list. Individual keys have none.</span>
        </li>
      </ul>
      <p className="wizard-guide-where">
        All three are in App Store Connect under{' '}
        <strong>Users and Access → Integrations → App Store Connect API</strong>.{' '}
        <button type="button" className="wizard-link" onClick={openApiKeysPage}>
          Open in Browser
          <ExternalLink size={12} aria-hidden="true" />
        </button>
      </p>
      <details className="wizard-details">
        <summary>Which role, and a team key or an individual key?</summary>
        <ul>
          <li>
            Pick the lowest role that works. <strong>Developer</strong> is enough for Ascent: it
            reads apps, builds and TestFlight. <strong>App Manager</strong> also edits metadata and
            submits for review. <strong>Admin</strong> also manages users; keep it for the few tools
            that must.
          </li>
          <li>
            A <strong>team key</strong> reaches all of the team’s apps and needs the issuer ID; only
            Admins can create one. An <strong>individual key</strong> belongs to you, carries your
            own access and has no issuer ID, but cannot use provisioning, Sales and Finance or
            notarization.
          </li>
        </ul>
      </details>
    </section>
  )
}
