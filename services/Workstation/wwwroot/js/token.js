// The signed-in clerk's token in this tab (Auth/SignedIn.cs). sessionStorage, not localStorage (S14): it survives a
// reload of the tab but not its closing, so the next person at a shared tablet is never signed in as the last one.
const key = 'melonchain.token';
export function load() { return sessionStorage.getItem(key); }
export function save(token) { sessionStorage.setItem(key, token); }
export function clear() { sessionStorage.removeItem(key); localStorage.removeItem(key); }
