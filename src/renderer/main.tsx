import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App'
import { DataProvider } from './data/DataProvider'
// Each feature's styles live in its folder; this is their one cascade order: the tokens and the
// shared frame first, then the features, each of which may refine what comes before it.
import './shell/tokens.css'
import './shell/shell.css'
import './wizard/wizard.css'
import './diagnosis/diagnosis.css'
import './teams/teams.css'
import './apps/apps.css'
import './builds/builds.css'
import './settings/settings.css'
import './keys/keys.css'

const root = document.getElementById('root')
if (!root) throw new Error('index.html has no #root')
createRoot(root).render(
  <StrictMode>
    <DataProvider>
      <App />
    </DataProvider>
  </StrictMode>,
)
