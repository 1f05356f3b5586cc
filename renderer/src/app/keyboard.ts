/** Is the keyboard focus in something that takes typing? Then single-key shortcuts stay quiet. */
export function typingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') {
    const type = (target as HTMLInputElement).type;
    return !['checkbox', 'radio', 'button', 'submit', 'reset'].includes(type);
  }
  return false;
}

/**
 * A modal is open: shortcuts belong to it. Mantine traps focus inside an open modal, so the key
 * event comes from within it; a modal that is only fading out no longer holds the focus.
 */
export function insideDialog(target: EventTarget | null): boolean {
  return target instanceof Element && target.closest('[role="dialog"]') !== null;
}

/** A single-key shortcut may act on this event: no modifier, not typing, not inside a dialog. */
export function plainShortcut(event: KeyboardEvent): boolean {
  if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return false;
  return !insideDialog(event.target) && !typingTarget(event.target);
}
