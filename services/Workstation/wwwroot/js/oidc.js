// Production sign-in (Auth/OidcSignIn.cs): the framework's OpenID Connect script, added only where an authority is
// configured, so a development or offline start does not download it. A file from the app's own origin (CSP).
const src = '_content/Microsoft.AspNetCore.Components.WebAssembly.Authentication/AuthenticationService.js';
export function load() {
    if (window.AuthenticationService) return Promise.resolve();
    return new Promise((resolve, reject) => {
        const script = document.createElement('script');
        script.src = src;
        script.onload = () => resolve();
        script.onerror = () => reject(new Error('could not load ' + src));
        document.head.appendChild(script);
    });
}
