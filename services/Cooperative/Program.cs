using MelonChain.Cooperative.Features.Members;
using MelonChain.Cooperative.Features.Receiving;
using MelonChain.ServiceDefaults.Hosting;
using MelonChain.ServiceDefaults.Messaging;

// Cooperative: 统一收货 receiving, 统一挑选 grading, 统一代销 consignment sales, 统一结算 settlement.
var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("cooperative", typeof(Program).Assembly);
builder.AddMessaging("cooperative").AddBrokerHealth();

var app = builder.Build();
app.UseServiceDefaults();

var api = app.MapApi("/api/v1/cooperative");
api.MapMembers();
api.MapReceiving();

app.Run();

public partial class Program;
