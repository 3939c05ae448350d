using MelonChain.CarrierSimulator.Simulator;
using MelonChain.CarrierSimulator.Simulator.CloudPrint;
using MelonChain.CarrierSimulator.Simulator.Jd;
using MelonChain.CarrierSimulator.Simulator.Sf;
using MelonChain.ServiceDefaults.Hosting;

// CarrierSimulator: SF Express's and JD Logistics' open-platform protocols, offline, for tests and the demo (README.md).
var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("carrier-simulator", migrations: null);
builder.Services.AddSingleton<OrderBook>();
builder.Services.AddSingleton<FaultSwitch>();
builder.Services.AddSingleton<ClaimDesk>();
builder.Services.AddSingleton<PrintFiles>();
builder.Services.AddHttpClient(RoutePlayer.PushClient, c => c.Timeout = TimeSpan.FromSeconds(5));
builder.Services.AddHostedService<RoutePlayer>();
builder.Services.AddHostedService<SfFees>();

var app = builder.Build();
app.UseServiceDefaults();
app.MapSfGateway();
app.MapJdGateway();
app.MapAdmin();
ClaimDesk.Map(app);
PrintFiles.Map(app);
// The waybill labels embed the CJK font (Debian's fonts-wqy-zenhei, or Documents:CjkFont): a missing font fails at start.
CjkFont.Register(app.Configuration["Documents:CjkFont"]);

app.Run();

public partial class Program;
