import { announce, api } from './lib/dom.js';
import { clearErrors, showProblem, type ApiFormSuccess } from './lib/api-form.js';
import { IMPORT_NEEDS_FILE, importSummary } from '../import-summary.js';

// Settings: shows a new API token's secret once (with a copy button) and imports an export file.

interface CreatedToken {
  token: { id: string; name: string; prefix: string; createdAt: string; expiresAt: string | null };
  secret: string;
}

function cell(text: string, code = false): HTMLTableCellElement {
  const td = document.createElement('td');
  if (code) {
    const element = document.createElement('code');
    element.textContent = text;
    td.append(element);
  } else {
    td.textContent = text;
  }
  return td;
}

function showSecret(created: CreatedToken): void {
  const box = document.querySelector<HTMLElement>('[data-token-secret]');
  if (!box) return;
  const intro = document.createElement('p');
  const strong = document.createElement('strong');
  strong.textContent = `Token “${created.token.name}” created.`;
  intro.append(strong, ' Copy it now: it is shown only once.');
  const code = document.createElement('code');
  code.id = 'token-secret-value';
  code.textContent = created.secret;
  const copy = document.createElement('button');
  copy.type = 'button';
  copy.className = 'button button-small';
  copy.textContent = 'Copy';
  copy.addEventListener('click', () => {
    void navigator.clipboard
      ?.writeText(created.secret)
      .then(() => {
        copy.textContent = 'Copied';
        announce('Token copied to the clipboard.');
      })
      .catch(() => {
        window.getSelection()?.selectAllChildren(code);
        announce('Select the token and copy it.');
      });
  });
  box.replaceChildren(intro, code, copy);
  box.hidden = false;
  copy.focus();

  const table = document.querySelector<HTMLTableElement>('[data-token-table] tbody');
  if (table) {
    const row = document.createElement('tr');
    const expires = created.token.expiresAt
      ? `${created.token.expiresAt.slice(0, 16).replace('T', ' ')} UTC`
      : 'never';
    row.append(
      cell(created.token.name),
      cell(`${created.token.prefix}…`, true),
      cell('just now'),
      cell('never'),
      cell(expires),
      cell(''),
    );
    table.prepend(row);
  } else {
    const none = document.querySelector('[data-no-tokens]');
    if (none) none.textContent = 'Reload the page to see the token in your list.';
  }
}

document.addEventListener('api-form:success', (event) => {
  const { form, data } = (event as CustomEvent<ApiFormSuccess>).detail;
  if (form.hasAttribute('data-token-form')) {
    form.reset();
    showSecret(data as CreatedToken);
  }
});

// Import: with JavaScript the learner picks the file; without it they paste its content.
const importForm = document.querySelector<HTMLFormElement>('[data-import-form]');
const fileField = importForm?.querySelector<HTMLElement>('[data-import-file]');
const fileInput = importForm?.querySelector<HTMLInputElement>('input[type="file"]');
if (importForm && fileField && fileInput) {
  fileField.hidden = false;
  const textLabel = importForm.querySelector('[data-import-text] label');
  if (textLabel) textLabel.textContent = 'Or paste the content of a Waymark export file';
  importForm.addEventListener('submit', (event) => {
    event.preventDefault();
    void (async () => {
      clearErrors(importForm);
      const file = fileInput.files?.[0];
      const text = file ? await file.text() : (importForm.querySelector('textarea')?.value ?? '');
      if (text.trim() === '') {
        showProblem(importForm, {
          status: 400,
          code: 'validation_failed',
          title: 'No file',
          detail: IMPORT_NEEDS_FILE,
        });
        return;
      }
      let document_: unknown;
      try {
        document_ = JSON.parse(text);
      } catch {
        showProblem(importForm, {
          status: 400,
          code: 'validation_failed',
          title: 'Not JSON',
          detail:
            'This is not a Waymark export: it is not valid JSON. Choose the file you downloaded from “Download my data”.',
        });
        return;
      }
      const result = await api<{ imported: Record<string, number> }>('POST', '/api/v1/me/import', document_);
      if (!result.ok) {
        showProblem(importForm, result.problem);
        return;
      }
      const summary = importSummary(result.data.imported);
      const box = importForm.querySelector<HTMLElement>('[data-form-success]');
      if (box) {
        box.textContent = summary;
        box.hidden = false;
      }
      announce(summary);
      importForm.reset();
    })();
  });
}
