/**
 * Whether the browser lets this extension show notifications now. Chrome reports a permission
 * level the user can turn off; Firefox has no level to read (its notifications permission is the
 * manifest's), and the call is left out of its build so Mozilla's linter finds no unsupported API.
 */
export async function notificationsAllowed(): Promise<boolean> {
  if (import.meta.env.FIREFOX || !chrome.notifications.getPermissionLevel) return true;
  return (await chrome.notifications.getPermissionLevel()) === 'granted';
}
