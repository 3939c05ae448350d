using MelonChain.ServiceDefaults.Hosting;

// CarrierSimulator: SF Express's open-platform protocol, offline, for tests and the demo (CARRIER.md).
var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("carrier-simulator", migrations: null);

var app = builder.Build();
app.UseServiceDefaults();

app.Run();

public partial class Program;
