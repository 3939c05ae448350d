using MelonChain.CarrierSimulator.Simulator;
using MelonChain.ServiceDefaults.Hosting;

// CarrierSimulator: SF Express's open-platform protocol, offline, for tests and the demo (services/Dispatch/CARRIERS.md).
var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("carrier-simulator", migrations: null);
builder.Services.AddSingleton<OrderBook>();
builder.Services.AddSingleton<FaultSwitch>();
builder.Services.AddHttpClient(RoutePlayer.PushClient, c => c.Timeout = TimeSpan.FromSeconds(5));
builder.Services.AddHostedService<RoutePlayer>();

var app = builder.Build();
app.UseServiceDefaults();
app.MapSfGateway();
app.MapFaultAdmin();

app.Run();

public partial class Program;
