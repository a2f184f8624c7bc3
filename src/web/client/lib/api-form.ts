import { announce, api, type Problem } from './dom.js';

// Progressive enhancement for forms: a server-rendered form posts to its no-JS route (action=…) and
// works without JavaScript; with `data-api="METHOD /api/v1/path/{field}"` this module sends the same
// fields as JSON to the API instead and shows the API's problem+json messages next to the fields.
//
//   data-api="DELETE /api/v1/me/sessions/{sessionId}"  {field} is taken from the form and left out of the body
//   data-then="reload" | "go:/path" | "go-return" | "remove:<selector>" | "reset" | "event"   what to do on success
//   data-success="Session revoked."                    announced on success, and shown in the form's
//                                                      [data-form-success] element if it has one
//   input data-type="integer"                          sent as a number; empty optional fields are left out
//   input data-skip                                     never sent (e.g. the no-JS "return" field)

export interface ApiFormSuccess {
  form: HTMLFormElement;
  data: unknown;
}

function fieldsOf(
  form: HTMLFormElement,
): Map<string, HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement> {
  const fields = new Map<string, HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>();
  for (const element of Array.from(form.elements)) {
    if (!(
      element instanceof HTMLInputElement ||
      element instanceof HTMLTextAreaElement ||
      element instanceof HTMLSelectElement
    ))
      continue;
    if (!element.name || element.hasAttribute('data-skip') || element.disabled) continue;
    if (element instanceof HTMLInputElement && (element.type === 'submit' || element.type === 'file'))
      continue;
    fields.set(element.name, element);
  }
  return fields;
}

function bodyOf(form: HTMLFormElement, pathFields: Set<string>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [name, element] of fieldsOf(form)) {
    if (pathFields.has(name)) continue;
    if (element instanceof HTMLInputElement && element.type === 'checkbox') {
      if (element.hasAttribute('data-send')) body[name] = element.checked;
      continue;
    }
    const value = element.value;
    if (value === '' && !element.required) continue;
    body[name] = element.dataset.type === 'integer' ? Number(value) : value;
  }
  return body;
}

/** Removes the messages of a previous attempt. */
export function clearErrors(form: HTMLFormElement): void {
  for (const node of Array.from(form.querySelectorAll('.field-error[data-client], .form-error[data-client]')))
    node.remove();
  for (const node of Array.from(form.querySelectorAll('.field-error'))) (node as HTMLElement).hidden = true;
  for (const field of Array.from(form.querySelectorAll('[aria-invalid="true"]')))
    field.removeAttribute('aria-invalid');
}

/** Puts each message of a problem next to its field (by JSON pointer /body/<name>), the rest at the top. */
export function showProblem(form: HTMLFormElement, problem: Problem): void {
  clearErrors(form);
  const fields = fieldsOf(form);
  let first: HTMLElement | null = null;
  let placed = false;
  for (const error of problem.errors ?? []) {
    const name = error.pointer.replace(/^\/(body|params|querystring)\//, '').split('/')[0] ?? '';
    const field = fields.get(name);
    if (!field) continue;
    placed = true;
    const id = `${field.id || name}-error`;
    let message = document.getElementById(id);
    if (!message) {
      message = document.createElement('p');
      message.id = id;
      message.className = 'field-error';
      message.dataset.client = '';
      field.insertAdjacentElement('afterend', message);
    }
    message.hidden = false;
    message.textContent =
      problem.errors && problem.errors.length > 1 ? `${labelOf(field)} ${error.message}.` : problem.detail;
    field.setAttribute('aria-invalid', 'true');
    const describedBy = new Set((field.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean));
    describedBy.add(id);
    field.setAttribute('aria-describedby', [...describedBy].join(' '));
    first ??= field;
  }
  if (!placed) {
    const box = document.createElement('p');
    box.className = 'form-error';
    box.dataset.client = '';
    box.setAttribute('role', 'alert');
    box.textContent = problem.detail;
    form.prepend(box);
    box.tabIndex = -1;
    first = box;
  }
  first?.focus();
  announce(problem.detail);
}

function labelOf(field: HTMLElement): string {
  const label = field.id ? document.querySelector(`label[for="${field.id}"]`) : null;
  return label?.textContent?.trim() ?? field.getAttribute('name') ?? 'This field';
}

async function submit(form: HTMLFormElement, event: SubmitEvent): Promise<void> {
  const spec = form.dataset.api ?? '';
  const [method = 'POST', template = ''] = spec.split(' ');
  const pathFields = new Set<string>();
  const fields = fieldsOf(form);
  const url = template.replace(/\{(\w+)\}/g, (_match, name: string) => {
    pathFields.add(name);
    return encodeURIComponent(fields.get(name)?.value ?? '');
  });
  const body = method === 'GET' ? undefined : bodyOf(form, pathFields);
  const submitter = event.submitter as HTMLButtonElement | null;
  if (submitter) {
    submitter.disabled = true;
    submitter.classList.add('is-busy');
  }
  form.setAttribute('aria-busy', 'true');
  const result = await api(
    method,
    url,
    method === 'DELETE' && body && Object.keys(body).length === 0 ? undefined : body,
  );
  form.removeAttribute('aria-busy');
  if (submitter) {
    submitter.disabled = false;
    submitter.classList.remove('is-busy');
  }
  if (!result.ok) {
    showProblem(form, result.problem);
    return;
  }
  clearErrors(form);
  const message = form.dataset.success;
  const successBox = form.querySelector<HTMLElement>('[data-form-success]');
  if (message && successBox) {
    successBox.textContent = message;
    successBox.hidden = false;
  } else if (message) {
    announce(message);
  }
  const then = form.dataset.then ?? 'reload';
  if (then === 'reload') window.location.reload();
  else if (then.startsWith('go:')) window.location.assign(then.slice(3));
  else if (then === 'go-return') {
    const back = (form.elements.namedItem('return') as HTMLInputElement | null)?.value ?? '/';
    window.location.assign(back.startsWith('/') && !back.startsWith('//') ? back : '/');
  } else if (then.startsWith('remove:')) {
    const row = form.closest(then.slice(7));
    const table = row?.closest('table');
    row?.remove();
    table?.querySelector<HTMLElement>('button')?.focus();
  } else if (then === 'reset') {
    form.reset();
  }
  form.dispatchEvent(
    new CustomEvent<ApiFormSuccess>('api-form:success', {
      bubbles: true,
      detail: { form, data: result.data },
    }),
  );
}

/** Enhances every `form[data-api]` on the page (now and later: listens at the document). */
export function enhanceApiForms(): void {
  document.addEventListener('submit', (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.dataset.api) return;
    event.preventDefault();
    // Busy: a second press (or Enter in a field) while the first is on its way sends nothing.
    if (form.getAttribute('aria-busy') === 'true') return;
    void submit(form, event);
  });
}
