using MelonChain.ContractGrowing.Consumers;
using MelonChain.ContractGrowing.Features;
using MelonChain.ContractGrowing.Features.Contracts;
using MelonChain.ContractGrowing.Features.Fulfilment;
using MelonChain.ContractGrowing.Features.Growers;
using MelonChain.ContractGrowing.Features.Seedlings;
using MelonChain.ServiceDefaults.Hosting;
using MelonChain.ServiceDefaults.Messaging;

// ContractGrowing: Enping contract growers planting Duruan seedlings (恩平订单种植).
var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("growing", typeof(Program).Assembly);
builder.AddMessaging("growing", bus =>
{
    bus.AddConsumer<HarvestReceivedConsumer>();
    bus.AddConsumer<HarvestGradedConsumer>();
    bus.AddConsumer<HarvestGradingReversedConsumer>();
    bus.AddConsumer<GrowerRegisteredConsumer>();
}).AddBrokerHealth();

var app = builder.Build();
app.UseServiceDefaults();

var api = app.MapApi("/api/v1/growing");
api.MapGrowers();
api.MapSeedlings();
api.MapContracts();
api.MapFieldWork();
api.MapFulfilment();

app.Run();

public partial class Program;
