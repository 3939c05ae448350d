using MelonChain.ContractGrowing.Consumers;
using MelonChain.ServiceDefaults.Hosting;
using MelonChain.ServiceDefaults.Messaging;

// ContractGrowing: Enping contract growers planting Duruan seedlings (恩平订单种植).
var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("growing", typeof(Program).Assembly);
builder.AddMessaging("growing", bus =>
{
    bus.AddConsumer<HarvestReceivedConsumer>();
}).AddBrokerHealth();

var app = builder.Build();
app.UseServiceDefaults();

var api = app.MapApi("/api/v1/growing");

app.Run();

public partial class Program;
