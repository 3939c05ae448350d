// The scale indicator on a serial port (Pages/Receiving/ScalePanel.razor), through the browser's Web Serial API
// (Chromium-based browsers on a desktop or laptop). The bytes go to .NET as they come; the frames are cut and checked
// there (Scale/FrameReader.cs), never here.
let port = null;
let reader = null;

export function supported() { return 'serial' in navigator; }

// Asks the clerk to pick the port (the browser's own chooser) and reads it until disconnect(). False when the clerk
// closed the chooser without picking one.
export async function connect(dotnet, baudRate) {
    try {
        port = await navigator.serial.requestPort();
    } catch (e) {
        if (e.name === 'NotFoundError') return false;
        throw e;
    }
    await port.open({ baudRate, dataBits: 8, stopBits: 1, parity: 'none', bufferSize: 4096 });
    readLoop(port, dotnet);
    return true;
}

async function readLoop(opened, dotnet) {
    // A framing or parity error ends one reader, not the port: take a new reader while the port is readable.
    while (port === opened && opened.readable) {
        reader = opened.readable.getReader();
        try {
            for (;;) {
                const { value, done } = await reader.read();
                if (done) break;
                if (value && value.length) await dotnet.invokeMethodAsync('OnBytes', value);
            }
        } catch (e) {
            if (port === opened) await dotnet.invokeMethodAsync('OnPortError', String(e && e.message || e));
        } finally {
            reader.releaseLock();
            reader = null;
        }
    }
    if (port === opened) await dotnet.invokeMethodAsync('OnPortClosed');
}

export async function disconnect() {
    const closing = port;
    port = null;
    if (!closing) return;
    try { if (reader) await reader.cancel(); } catch { }
    try { await closing.close(); } catch { }
}
