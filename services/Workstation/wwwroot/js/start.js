// Started by index.html (a file, not an inline script: the Content-Security-Policy on /app/ allows no inline script).
// The shell (the page, the styles and the framework files once loaded) is kept by the service worker, so the app opens
// at the weighing station when the village network is down.
if ('serviceWorker' in navigator) navigator.serviceWorker.register('service-worker.js');
