// The offline queue's storage on this device (Offline/BrowserCaptureStore.cs): receipts and gradings captured without
// a network, in IndexedDB so they survive a reload or a closed tab. Each record is a capture as the C# queue wrote
// it (its Idempotency-Key, capturedAt, the request body, its state); never a token. The device code (for provisional
// slip numbers) and its sequence live in localStorage: not secret, made once per device.
const dbName = 'melonchain-workstation';
const store = 'captures';
const deviceKey = 'melonchain.device';
const sequenceKey = 'melonchain.device.sequence';

let opening;
function open() {
    return opening ??= new Promise((resolve, reject) => {
        const request = indexedDB.open(dbName, 1);
        request.onupgradeneeded = () => request.result.createObjectStore(store, { keyPath: 'id' });
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => { opening = undefined; reject(request.error); };
    });
}

async function run(mode, work) {
    const db = await open();
    return new Promise((resolve, reject) => {
        const tx = db.transaction(store, mode);
        const request = work(tx.objectStore(store));
        tx.oncomplete = () => resolve(request?.result);
        tx.onerror = () => reject(tx.error);
        tx.onabort = () => reject(tx.error);
    });
}

export async function all() {
    const captures = await run('readonly', s => s.getAll());
    return (captures ?? []).sort((a, b) => a.sequence - b.sequence);
}

export async function put(capture) { await run('readwrite', s => s.put(capture)); }

export async function remove(id) { await run('readwrite', s => s.delete(id)); }

// The device code: four letters and digits (no 0/O or 1/I), made once per device.
export function device() {
    let code = localStorage.getItem(deviceKey);
    if (!code) {
        const letters = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
        const bytes = crypto.getRandomValues(new Uint8Array(4));
        code = Array.from(bytes, b => letters[b % letters.length]).join('');
        localStorage.setItem(deviceKey, code);
    }
    return code;
}

// The next capture number of this device (1, 2, ...): the capture order, and the provisional slip number's tail.
export function nextSequence() {
    const next = (parseInt(localStorage.getItem(sequenceKey) ?? '0', 10) || 0) + 1;
    localStorage.setItem(sequenceKey, String(next));
    return next;
}

export function isOnline() { return navigator.onLine; }

// Tells the queue when the browser goes online or offline (it then sends what is queued).
export function watchOnline(queue) {
    const tell = online => queue.invokeMethodAsync('OnlineChanged', online);
    window.addEventListener('online', () => tell(true));
    window.addEventListener('offline', () => tell(false));
}

// The member register as last read (Offline/GrowerRegister.cs), so receiving works on a device opened without a network.
const growersKey = 'melonchain.growers';
export function saveGrowers(cooperative, growers) { localStorage.setItem(growersKey, JSON.stringify({ cooperative, growers })); }
export function loadGrowers(cooperative) {
    const kept = JSON.parse(localStorage.getItem(growersKey) ?? 'null');
    return kept && kept.cooperative === cooperative ? kept.growers : null;
}
