// Documents the services make (labels, statements, reports as PDF; a recall as CSV) need the Bearer token, so the app
// fetches them through its HttpClient and hands the bytes here (Components/DocumentButton.razor).
// open: a new tab on a blob URL; when the browser blocks the tab, the URL is returned for the screen to show as a link.
export function open(bytes, type) {
    const url = URL.createObjectURL(new Blob([bytes], { type }));
    return window.open(url, '_blank') ? null : url;
}
// save: the file downloaded under its name (a CSV for a spreadsheet).
export function save(bytes, type, name) {
    const url = URL.createObjectURL(new Blob([bytes], { type }));
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
}
