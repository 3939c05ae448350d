// 合作社工作台's service worker: keeps the app shell so the workstation opens without a network.
// Pages and styles: network first, the cached copy when offline. The framework files under _framework/ carry a
// fingerprint in their names (a new build, new names): cache first, kept as they are first loaded.
// The API (/api/) is never cached: a receipt is either sent or queued by the app, never answered from a cache.
const shell = 'melonchain-workstation-shell-v1';
const framework = 'melonchain-workstation-framework-v1';
const shellFiles = ['./', 'index.html', 'css/app.css', 'manifest.webmanifest', 'icon.svg', 'js/token.js', 'js/start.js', 'js/slip.js', 'js/serial.js', '_framework/blazor.webassembly.js'];

self.addEventListener('install', event => {
    event.waitUntil(caches.open(shell).then(cache => cache.addAll(shellFiles)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', event => {
    event.waitUntil(caches.keys()
        .then(keys => Promise.all(keys.filter(k => k !== shell && k !== framework).map(k => caches.delete(k))))
        .then(() => self.clients.claim()));
});

self.addEventListener('fetch', event => {
    const request = event.request;
    const url = new URL(request.url);
    if (request.method !== 'GET' || url.origin !== self.location.origin || !url.pathname.startsWith('/app/')) return;
    if (url.pathname.startsWith('/app/_framework/') && url.pathname !== '/app/_framework/blazor.webassembly.js') {
        event.respondWith(caches.open(framework).then(async cache => {
            const cached = await cache.match(request);
            if (cached) return cached;
            const response = await fetch(request);
            if (response.ok) cache.put(request, response.clone());
            return response;
        }));
        return;
    }
    event.respondWith(fetch(request)
        .then(response => {
            if (response.ok) {
                const copy = response.clone();
                caches.open(shell).then(cache => cache.put(request.mode === 'navigate' ? 'index.html' : request, copy));
            }
            return response;
        })
        .catch(async () => (await caches.match(request.mode === 'navigate' ? 'index.html' : request)) ?? Response.error()));
});
