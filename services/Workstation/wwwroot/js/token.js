// The signed-in clerk's token on this device (Auth/SignedIn.cs).
const key = 'melonchain.token';
export function load() { return localStorage.getItem(key); }
export function save(token) { localStorage.setItem(key, token); }
export function clear() { localStorage.removeItem(key); }
