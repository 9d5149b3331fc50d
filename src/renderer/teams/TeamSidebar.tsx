import { Ellipsis, Info, KeyRound, Plus, TriangleAlert } from 'lucide-react'
import { useRef, useState, type KeyboardEvent, type MouseEvent } from 'react'
import type { Notice, OrphanKey, TeamAction, TeamSummary } from '../../shared/contract'
import { useTeamAttention } from '../data/browse'
import { useTeamActionRequests } from '../data/teamActions'
import { errorOf, useRenameTeam } from '../data/teams'
import { roleNote, STATUS_LABELS, statusNote, teamBadge, teamHues, teamMonogram } from './identity'
import { TEAM_MENU } from '../../shared/menus'
import { useCommands } from '../shell/useCommands'
import { useContextMenu } from '../shell/useContextMenu'
import { TeamSheets, type TeamSheet } from './TeamSheets'
import { TeamStatusLine, useTeamStatus } from './TeamStatusLine'
import { forgetView } from './viewState'

export interface TeamSidebarProps {
  teams: TeamSummary[]
  activeTeamId: string | null
  onSelect: (teamId: string) => void
  onAddKey: () => void
  /** Keychain items with no team, offered back. */
  orphans?: OrphanKey[]
  /** Start-up problems, shown quietly. */
  notices?: Notice[]
  /** Opens the wizard to import a team's key again. */
  onReplaceKey?: (team: TeamSummary) => void
  /** Opens the wizard to replace a team's key with a new one. */
  onRotateKey?: (team: TeamSummary) => void
}

const noop = () => undefined

/** The sheet each team action opens (Rename edits in place; Replace Key opens the wizard). */
const SHEET_OF_ACTION = {
  details: 'details',
  checkNow: 'check',
  exportKey: 'export',
  copyToken: 'token',
  remove: 'remove',
} as const satisfies Record<Exclude<TeamAction, 'rename' | 'replaceKey'>, TeamSheet['kind']>

export function TeamSidebar(props: TeamSidebarProps) {
  const [sheet, setSheet] = useState<TeamSheet | null>(null)
  const [renaming, setRenaming] = useState<string | null>(null)
  const teamMenu = useContextMenu()
  const openMenu = (team: TeamSummary, at: { x: number; y: number }) =>
    teamMenu.open({ kind: 'team', teamId: team.id }, `${team.name} actions`, () => TEAM_MENU, at)

  // A team action from its menu (the system's or the page's) or the menu bar (teamId null: the
  // team on screen). Replace Key opens the wizard; every other action is carried out here.
  useCommands((command) => {
    if (command.type !== 'teamAction') return
    const team = props.teams.find(
      (candidate) => candidate.id === (command.teamId ?? props.activeTeamId),
    )
    if (!team) return
    switch (command.action) {
      case 'rename':
        return setRenaming(team.id)
      case 'replaceKey':
        return props.onRotateKey?.(team)
      default:
        return setSheet({ kind: SHEET_OF_ACTION[command.action], team })
    }
  })

  useTeamActionRequests((request) => {
    const team = props.teams.find((candidate) => candidate.id === request.teamId)
    if (team && request.kind === 'recheck') setSheet({ kind: 'check', team })
  })

  const activeShown = props.teams.some((team) => team.id === props.activeTeamId)
  const moveBetweenTeams = (event: KeyboardEvent<HTMLUListElement>) => {
    const rows = [...event.currentTarget.querySelectorAll<HTMLButtonElement>('[data-team-row]')]
    const index = rows.indexOf(document.activeElement as HTMLButtonElement)
    if (index === -1) return
    const target =
      event.key === 'ArrowDown'
        ? rows[Math.min(rows.length - 1, index + 1)]
        : event.key === 'ArrowUp'
          ? rows[Math.max(0, index - 1)]
          : event.key === 'Home'
            ? rows[0]
            : event.key === 'End'
              ? rows.at(-1)
              : undefined
    if (!target) return
    event.preventDefault()
    target.focus()
  }

  const hues = teamHues(props.teams)
  const orphans = props.orphans ?? []
  const notices = props.notices ?? []

  return (
    <nav className="sidebar" aria-label="Teams">
      <div className="sidebar-drag" />
      <h2 className="sidebar-heading" id="teams-heading">
        Teams
      </h2>
      {props.teams.length === 0 ? (
        <p className="sidebar-empty">No keys yet</p>
      ) : (
        // One Tab stop (the team on screen); ↑/↓, Home and End move between the teams.
        <ul className="team-list" aria-labelledby="teams-heading" onKeyDown={moveBetweenTeams}>
          {props.teams.map((team, index) => (
            <li key={team.id}>
              <TeamRow
                team={team}
                hue={hues.get(team.id) ?? 0}
                tabStop={team.id === props.activeTeamId || (!activeShown && index === 0)}
                shortcut={index < 9 ? index + 1 : null}
                active={team.id === props.activeTeamId}
                renaming={renaming === team.id}
                onSelect={() => props.onSelect(team.id)}
                onMenu={(at) => openMenu(team, at)}
                onRenamed={() => setRenaming(null)}
                onCancelRename={() => setRenaming(null)}
              />
            </li>
          ))}
        </ul>
      )}

      {orphans.length > 0 ? (
        <section className="orphans" aria-labelledby="orphans-heading">
          <h2 className="sidebar-heading" id="orphans-heading">
            Found in Keychain
          </h2>
          <ul className="orphan-list">
            {orphans.map((orphan) => (
              <li key={orphan.account} className="orphan">
                <KeyRound size={13} aria-hidden="true" />
                <span className="orphan-text">
                  <span className="mono">{orphan.keyId}</span>
                  <span className="team-badge">
                    {orphan.keyType === 'team' ? 'Team key' : 'Individual'} · no team
                  </span>
                </span>
                <button
                  type="button"
                  className="button-plain button-small"
                  aria-label={`Add key ${orphan.keyId} back`}
                  onClick={() => setSheet({ kind: 'adopt', orphan })}
                >
                  Add…
                </button>
                <button
                  type="button"
                  className="button-plain button-small"
                  aria-label={`Forget key ${orphan.keyId}`}
                  onClick={() => setSheet({ kind: 'forget', orphan })}
                >
                  Forget…
                </button>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <div className="sidebar-footer">
        {notices.map((notice) => (
          <p key={notice.code} className="notice">
            <Info size={12} aria-hidden="true" /> {notice.message}
          </p>
        ))}
        <button
          type="button"
          className="button-plain"
          onClick={props.onAddKey}
          aria-keyshortcuts="Meta+N"
        >
          <Plus size={14} aria-hidden="true" /> Add Key…
        </button>
      </div>

      {teamMenu.menu}
      {sheet ? (
        <TeamSheets
          sheet={sheet}
          onClose={() => setSheet(null)}
          onOpen={setSheet}
          onRemoved={forgetView}
          onReplaceKey={props.onReplaceKey ?? noop}
          onRotateKey={props.onRotateKey ?? noop}
        />
      ) : null}
    </nav>
  )
}

function TeamRow(props: {
  team: TeamSummary
  hue: number
  /** The sidebar's one Tab stop. */
  tabStop: boolean
  shortcut: number | null
  active: boolean
  renaming: boolean
  onSelect: () => void
  onMenu: (at: { x: number; y: number }) => void
  onRenamed: () => void
  onCancelRename: () => void
}) {
  const { team } = props
  const attention = useTeamAttention(team.id)
  const refresh = useTeamStatus(team.id)
  const status = STATUS_LABELS[team.status]
  const note = statusNote(team.status)
  const menuAt = (element: HTMLElement) => {
    const box = element.getBoundingClientRect()
    return { x: box.left + 8, y: box.bottom + 2 }
  }
  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if ((event.shiftKey && event.key === 'F10') || event.key === 'ContextMenu') {
      event.preventDefault()
      props.onMenu(menuAt(event.currentTarget))
    }
  }
  const onContextMenu = (event: MouseEvent) => {
    event.preventDefault()
    props.onMenu({ x: event.clientX, y: event.clientY })
  }

  return (
    <div
      className={`team-item${props.active ? ' team-item-active' : ''}`}
      onContextMenu={onContextMenu}
    >
      {props.renaming ? (
        <RenameField team={team} onDone={props.onRenamed} onCancel={props.onCancelRename} />
      ) : (
        <button
          type="button"
          className="team-row"
          aria-current={props.active ? 'page' : undefined}
          aria-keyshortcuts={props.shortcut ? `Meta+${props.shortcut}` : undefined}
          data-team-row=""
          tabIndex={props.tabStop ? 0 : -1}
          // Read as "Northwind Labs, Admin, 117 need attention", not the row's texts run together.
          aria-label={`${team.name}, ${teamBadge(team)}${attention ? `, ${attention} need attention` : ''}`}
          aria-description={`${status}${roleNote(team) ? `. ${roleNote(team)}` : ''}${refresh ? `. ${refresh.text}` : ''}`}
          onClick={props.onSelect}
          onKeyDown={onKeyDown}
          title={team.statusDetail ?? status}
        >
          <span className="team-avatar">
            <span
              className="monogram"
              aria-hidden="true"
              style={{ '--hue': props.hue } as React.CSSProperties}
            >
              {teamMonogram(team.name)}
            </span>
            <span className={`status-dot status-${team.status}`} role="img" aria-label={status} />
          </span>
          <span className="team-text">
            <span className="team-name" id={`team-name-${team.id}`}>
              {team.name}
            </span>
            <span className="team-badge" title={roleNote(team) ?? undefined}>
              {teamBadge(team)}
              {attention ? (
                <span className="team-attention" aria-hidden="true">
                  <TriangleAlert size={10} />
                  {attention}
                </span>
              ) : null}
            </span>
            {note ? (
              <span className={`team-status team-status-${team.status}`} aria-hidden="true">
                {note}
              </span>
            ) : null}
            <TeamStatusLine teamId={team.id} />
          </span>
        </button>
      )}
      <button
        type="button"
        className="team-more"
        // Out of the Tab order: ⇧F10 or the menu key on the team opens the same menu.
        tabIndex={-1}
        aria-label="Team actions"
        aria-describedby={`team-name-${team.id}`}
        aria-haspopup="menu"
        onClick={(event) => props.onMenu(menuAt(event.currentTarget))}
      >
        <Ellipsis size={14} aria-hidden="true" />
      </button>
    </div>
  )
}

function RenameField(props: { team: TeamSummary; onDone: () => void; onCancel: () => void }) {
  const [name, setName] = useState(props.team.name)
  const [error, setError] = useState<string | null>(null)
  const rename = useRenameTeam()
  const saving = useRef(false)
  const save = async () => {
    if (saving.current) return
    const trimmed = name.trim()
    if (!trimmed || trimmed === props.team.name) {
      props.onCancel()
      return
    }
    saving.current = true
    try {
      await rename.mutateAsync({ teamId: props.team.id, name: trimmed })
      props.onDone()
    } catch (failure) {
      setError(errorOf(failure)?.message ?? null)
    } finally {
      saving.current = false
    }
  }
  return (
    <span className="rename">
      <input
        className="rename-input"
        aria-label={`New name for ${props.team.name}`}
        aria-invalid={error ? true : undefined}
        value={name}
        maxLength={80}
        ref={(input) => {
          if (input && document.activeElement !== input && !input.dataset.focused) {
            input.dataset.focused = 'true'
            input.focus()
            input.select()
          }
        }}
        onChange={(event) => setName(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter') {
            event.preventDefault()
            void save()
          }
          if (event.key === 'Escape') {
            event.preventDefault()
            event.stopPropagation()
            props.onCancel()
          }
        }}
        onBlur={() => void save()}
      />
      {error ? (
        <span className="rename-error" role="alert">
          {error}
        </span>
      ) : null}
    </span>
  )
}
