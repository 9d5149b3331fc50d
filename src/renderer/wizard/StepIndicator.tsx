import { Check } from 'lucide-react'
import { WIZARD_STEPS, type WizardStep } from './model'

/** Key file → IDs → Check → Name, with the current step marked for sight and for screen readers. */
export function StepIndicator(props: {
  current: WizardStep
  /** The last step's name: Name, or Replace when a team's key is replaced. */
  lastLabel: string
}) {
  const currentIndex = WIZARD_STEPS.findIndex((step) => step.id === props.current)
  return (
    <ol className="wizard-steps" aria-label="Steps">
      {WIZARD_STEPS.map((step, index) => {
        const state = index < currentIndex ? 'done' : index === currentIndex ? 'current' : 'todo'
        return (
          <li
            key={step.id}
            className={`wizard-steps-item wizard-steps-${state}`}
            aria-current={state === 'current' ? 'step' : undefined}
          >
            <span className="wizard-steps-number" aria-hidden="true">
              {state === 'done' ? <Check size={11} strokeWidth={3} /> : index + 1}
            </span>
            {step.id === 'name' ? props.lastLabel : step.label}
            {state === 'done' ? <span className="visually-hidden"> (done)</span> : null}
          </li>
        )
      })}
    </ol>
  )
}
