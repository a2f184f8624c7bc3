// The print page's "Print this page" button (a button cannot call window.print() without a script).
const button = document.querySelector<HTMLButtonElement>('[data-print]');
if (button) {
  button.hidden = false;
  button.addEventListener('click', () => window.print());
}
