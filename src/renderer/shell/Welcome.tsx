/** The first-run card: nothing is saved yet. */
export function Welcome(props: { onAddKey: () => void }) {
  return (
    <section className="welcome" aria-labelledby="welcome-title">
      <div className="welcome-mark" aria-hidden="true">
        A
      </div>
      <h1 id="welcome-title">Add your first App Store Connect API key</h1>
      <p>
        No key is added yet. Ascent checks a key live against Apple before it saves it, keeps the
        private key in your Keychain, and shows your teams’ apps and TestFlight builds.
      </p>
      <p className="welcome-pieces">
        You need three pieces from <strong>Users and Access → Integrations</strong>: the issuer ID,
        the key ID and the <code>AuthKey_XXXXXXXXXX.p8</code> file.
      </p>
      <button type="button" className="button-primary" onClick={props.onAddKey}>
        Add Key…
      </button>
    </section>
  )
}
