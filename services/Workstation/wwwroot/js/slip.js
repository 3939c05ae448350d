// The receipt slip (Pages/Slip/): printing, the paper chosen on this device, and the members' links for offline slips.
// The links live in localStorage (they must outlive the tab for slips printed offline by the next shift); the clerk's
// token never does (js/token.js keeps it in sessionStorage).
const paperKey = 'melonchain.slipPaper';
const linksKey = cooperative => 'melonchain.growerLinks.' + cooperative;
export function print() { window.print(); }
export function paper() { return localStorage.getItem(paperKey); }
export function setPaper(value) { localStorage.setItem(paperKey, value); }
export function loadLinks(cooperative) { return localStorage.getItem(linksKey(cooperative)); }
export function saveLinks(cooperative, json) { localStorage.setItem(linksKey(cooperative), json); }
