// The plan page's small island. The page works without it; with it:
// - an unsaved plan's time-zone field starts at the browser's own zone (the server cannot know it),
// - the calendar feed URL, shown once, gets a Copy button.

function detectTimeZone(): void {
  const field = document.querySelector<HTMLInputElement>('input[data-detect-zone]');
  if (!field) return;
  try {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && field.value === 'UTC') field.value = zone;
  } catch {
    // An old browser without Intl time zones keeps UTC; the field stays editable.
  }
}

function enableCopyButtons(): void {
  for (const button of Array.from(document.querySelectorAll<HTMLButtonElement>('button[data-copy]'))) {
    const input = document.getElementById(button.dataset.copy ?? '') as HTMLInputElement | null;
    if (!input || !navigator.clipboard) continue;
    button.hidden = false;
    button.addEventListener('click', () => {
      navigator.clipboard.writeText(input.value).then(
        () => {
          button.textContent = 'Copied';
          const announcer = document.getElementById('announcer');
          if (announcer) announcer.textContent = 'Feed URL copied to the clipboard.';
        },
        () => {
          input.select();
        },
      );
    });
  }
}

/**
 * A refused settings form comes back (through a redirect) with its first field to fix autofocused; make
 * sure it is in the middle of the screen rather than under the sticky header.
 */
function focusRefusedField(): void {
  const field = document.querySelector<HTMLElement>('#settings [aria-invalid="true"]');
  if (!field) return;
  const show = () => {
    field.scrollIntoView({ block: 'center' });
    field.focus({ preventScroll: true });
  };
  // Focus given while the page is still loading can be lost when loading ends.
  if (document.readyState === 'complete') show();
  else window.addEventListener('load', show, { once: true });
}

detectTimeZone();
enableCopyButtons();
focusRefusedField();
