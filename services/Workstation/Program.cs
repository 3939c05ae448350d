using MelonChain.Workstation;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.AspNetCore.Components.WebAssembly.Hosting;

// 合作社工作台: served by the Gateway at /app/, so the API is the same origin (/api/v1/...).
var builder = WebAssemblyHostBuilder.CreateDefault(args);
builder.RootComponents.Add<App>("#app");
builder.RootComponents.Add<HeadOutlet>("head::after");
builder.Services.AddWorkstation(new Uri(builder.HostEnvironment.BaseAddress));
await builder.Build().RunAsync();
