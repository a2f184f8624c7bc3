import type { VNode } from 'preact';
import type { Problem } from '../../http/problems.js';

// Form pieces that show the API's problem+json messages next to the field they are about, the same
// way with and without JavaScript (the client island fills the same `<id>-error` paragraphs).

export interface FormState {
  /** Field name -> message. */
  fields: Record<string, string>;
  /** A message that belongs to no single field. */
  form: string | null;
  /** What the visitor typed, to show again (never passwords). */
  values: Record<string, string>;
}

export const emptyForm = (values: Record<string, string> = {}): FormState => ({
  fields: {},
  form: null,
  values,
});

/** Spreads a problem over the form's fields by JSON pointer (/body/email -> email). */
export function formStateFromProblem(
  problem: Problem,
  fieldNames: readonly string[],
  values: Record<string, string> = {},
): FormState {
  const fields: Record<string, string> = {};
  for (const error of problem.errors) {
    const name = error.pointer.replace(/^\/(body|params|querystring)\//, '').split('/')[0] ?? '';
    if (!fieldNames.includes(name) || fields[name]) continue;
    fields[name] = problem.errors.length === 1 ? problem.detail : `${capitalise(name)} ${error.message}.`;
  }
  const placed = Object.keys(fields).length > 0;
  return { fields, form: placed ? null : problem.detail, values };
}

function capitalise(text: string): string {
  return text.replace(/([A-Z])/g, ' $1').replace(/^./, (c) => c.toUpperCase());
}

export interface FieldProps {
  id: string;
  name: string;
  label: string;
  type?: string;
  value?: string;
  error?: string | undefined;
  hint?: string;
  autocomplete?: string;
  required?: boolean;
  minLength?: number;
  maxLength?: number;
  dataType?: 'integer';
  min?: number;
  max?: number;
}

export function Field(props: FieldProps): VNode {
  const { id, error, hint } = props;
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      {hint ? (
        <span class="field-hint" id={`${id}-hint`}>
          {hint}
        </span>
      ) : null}
      <input
        id={id}
        name={props.name}
        type={props.type ?? 'text'}
        value={props.value}
        autocomplete={props.autocomplete}
        required={props.required}
        minLength={props.minLength}
        maxLength={props.maxLength}
        min={props.min}
        max={props.max}
        data-type={props.dataType}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy || undefined}
      />
      {error ? (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** The message for the whole form, if any. */
export function FormError({ message }: { message: string | null }): VNode | null {
  if (!message) return null;
  return (
    <p class="form-error" role="alert">
      {message}
    </p>
  );
}
