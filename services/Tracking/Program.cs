using MelonChain.ServiceDefaults.Hosting;
using MelonChain.ServiceDefaults.Messaging;
using MelonChain.Tracking.Consumers;
using MelonChain.Tracking.Features.Public;
using MelonChain.Tracking.Features.PersonalData;
using MelonChain.Tracking.Features.Shipments;

// Tracking (追踪): buyers follow shipments to Beijing and Shanghai, and every box back to its field (一箱一码).
var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("tracking", typeof(Program).Assembly);
builder.AddMessaging("tracking", bus =>
{
    bus.AddConsumer<ShipmentRequestedConsumer>();
    bus.AddConsumer<ShipmentBookedConsumer>();
    bus.AddConsumer<ShipmentStatusChangedConsumer>();
    bus.AddConsumer<ShipmentDeliveredConsumer>();
    bus.AddConsumer<ShipmentPartEndedConsumer>();
    bus.AddConsumer<OrderCancelledConsumer>();
    bus.AddConsumer<ContractSignedConsumer>();
    bus.AddConsumer<ContractAmendedConsumer>();
    bus.AddConsumer<SeedlingsIssuedConsumer>();
    bus.AddConsumer<CooperativeProfileSavedConsumer>();
}).AddBrokerHealth();
builder.Services.AddSingleton<PersonalDataRetention>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<PersonalDataRetention>());

var app = builder.Build();
app.UseServiceDefaults();

var api = app.MapApi("/api/v1/tracking");
api.MapShipments();
api.MapRebuild();
var publicApi = api.MapGroup("/public").AllowAnonymous().RequireRateLimiting(RateLimits.Public).WithTags("Public");
PublicTracking.Map(publicApi);
Provenance.Map(publicApi);
app.MapPages();

app.Run();

public partial class Program;
