import { ArrowLeftRight } from 'lucide-react'
import { useRef, useState } from 'react'
import type { KeyDraft } from '../../shared/contract'
import { blockingProblem, ROLE_LABELS, type KeyType, type Role } from '../../shared/keys'
import { IdField } from './IdField'
import { checkForm, swapIds, visibleProblems, type IdsForm } from './model'
import { StepFrame } from './StepFrame'

const ROLES = Object.keys(ROLE_LABELS) as Role[]

/** Step 2: the issuer ID and key ID, validated as they are typed, and the kind of key. */
export function IdsStep(props: {
  form: IdsForm
  draft: KeyDraft
  onChange: (form: IdsForm) => void
  onContinue: () => void
  onBack: () => void
  onCancel: () => void
}) {
  const { form, onChange } = props
  const [attempted, setAttempted] = useState(false)
  const issuerRef = useRef<HTMLInputElement>(null)
  const keyRef = useRef<HTMLInputElement>(null)
  const check = checkForm(form, props.draft)
  const shown = visibleProblems(form, check, attempted)
  const blocking = blockingProblem(check)
  const isTeam = form.keyType === 'team'
  const fileKeyId = props.draft.keyIdFromFileName

  const submit = () => {
    if (!blocking) {
      props.onContinue()
      return
    }
    // The problem shows under its field, which takes focus (and reads it out): said once, there.
    setAttempted(true)
    ;(blocking.field === 'issuerId' && isTeam ? issuerRef : keyRef).current?.focus()
  }

  return (
    <StepFrame
      title="Enter the key’s IDs"
      lead="Both are on the App Store Connect page where the key was generated."
      onSubmit={submit}
      primaryLabel="Check Key"
      initialFocus={isTeam ? issuerRef : keyRef}
      onBack={props.onBack}
      onCancel={props.onCancel}
    >
      <fieldset className="wizard-kind">
        <legend>Kind of key</legend>
        <KindOption
          kind="team"
          current={form.keyType}
          onChange={(keyType) => onChange({ ...form, keyType })}
          title="Team key"
          detail="Listed under Team Keys; reaches all of the team’s apps."
        />
        <KindOption
          kind="individual"
          current={form.keyType}
          onChange={(keyType) => onChange({ ...form, keyType })}
          title="Individual key"
          detail="Listed under Individual Key; carries your own access."
        />
      </fieldset>
      {isTeam ? null : (
        <p className="wizard-note">
          Individual keys belong to one person and have no issuer ID. They reach what that person
          can reach, and cannot use provisioning, Sales and Finance or notarization.
        </p>
      )}
      {shown.swapped ? (
        <div className="wizard-swap" role="status">
          <span>{check.problems[0]?.message}</span>
          <button
            type="button"
            className="button-secondary"
            onClick={() => onChange(swapIds(form))}
          >
            <ArrowLeftRight size={14} aria-hidden="true" /> Swap
          </button>
        </div>
      ) : null}
      {isTeam ? (
        <IdField
          label="Issuer ID"
          value={form.issuerId}
          onChange={(issuerId) => onChange({ ...form, issuerId })}
          placeholder="57246542-96fe-1a63-e053-0824d011072a"
          help="Shown above the Team Keys list in Users and Access → Integrations → App Store Connect API."
          problem={shown.issuerId}
          invalid={shown.swapped}
          inputRef={issuerRef}
        />
      ) : null}
      <IdField
        label="Key ID"
        value={form.keyId}
        onChange={(keyId) => onChange({ ...form, keyId })}
        placeholder="2X9R4HXF34"
        help={
          <>
            In the Key ID column of the keys list, and in the file name{' '}
            <code>AuthKey_XXXXXXXXXX.p8</code>.
          </>
        }
        problem={shown.keyId}
        invalid={shown.swapped}
        inputRef={keyRef}
        action={
          shown.keyId?.code === 'input.key_id_mismatch' && fileKeyId ? (
            <button
              type="button"
              className="wizard-link"
              onClick={() => onChange({ ...form, keyId: fileKeyId })}
            >
              Use {fileKeyId}
            </button>
          ) : null
        }
      />
      {isTeam ? (
        <RoleField role={form.role} onChange={(role) => onChange({ ...form, role })} />
      ) : null}
    </StepFrame>
  )
}

function KindOption(props: {
  kind: KeyType
  current: KeyType
  onChange: (kind: KeyType) => void
  title: string
  detail: string
}) {
  return (
    <label className="wizard-kind-option">
      <input
        type="radio"
        name="key-kind"
        value={props.kind}
        checked={props.current === props.kind}
        onChange={() => props.onChange(props.kind)}
      />
      <span>
        <strong>{props.title}</strong>
        <span className="wizard-muted">{props.detail}</span>
      </span>
    </label>
  )
}

function RoleField(props: { role: Role | null; onChange: (role: Role | null) => void }) {
  return (
    <div className="wizard-field">
      <label htmlFor="wizard-role">Role you picked (optional)</label>
      <select
        id="wizard-role"
        className="wizard-select"
        value={props.role ?? ''}
        onChange={(event) => props.onChange((event.target.value || null) as Role | null)}
        aria-describedby="wizard-role-help"
      >
        <option value="">I don’t know</option>
        {ROLES.map((role) => (
          <option key={role} value={role}>
            {ROLE_LABELS[role]}
          </option>
        ))}
      </select>
      <p id="wizard-role-help" className="wizard-help">
        Developer is enough for Ascent; App Manager also edits metadata and submits for review;
        Admin also manages users. The check can confirm Admin only: it changes nothing, and only a
        change would tell App Manager from Developer.
      </p>
    </div>
  )
}
