import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { createApi } from './api'
import { App } from './App'
import { attachApi } from './store/workbenchApi'
import './styles.css'

attachApi(createApi())

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
