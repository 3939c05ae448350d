using MelonChain.Dispatch.Consumers;
using MelonChain.Dispatch.Features.Accounts;
using MelonChain.Dispatch.Features.Cancellation;
using MelonChain.Dispatch.Features.Carrier;
using MelonChain.Dispatch.Features.Claims;
using MelonChain.Dispatch.Features.Fees;
using MelonChain.Dispatch.Features.Labels;
using MelonChain.Dispatch.Features.Outcomes;
using MelonChain.Dispatch.Features.Pickups;
using MelonChain.Dispatch.Features.Rates;
using MelonChain.Dispatch.Features.Routes;
using MelonChain.Dispatch.Features.PersonalData;
using MelonChain.ServiceDefaults.Data;
using MelonChain.ServiceDefaults.Hosting;
using MelonChain.ServiceDefaults.Messaging;
using Microsoft.Extensions.Diagnostics.HealthChecks;

// Dispatch (揽收调度): rate cards and quotes, pickups, booking with the carrier, route records.
var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("dispatch", typeof(Program).Assembly);
builder.AddMessaging("dispatch", bus =>
{
    bus.AddConsumer<ShipmentRequestedConsumer>();
    bus.AddConsumer<CancellationRequestedConsumer>();
    bus.AddConsumer<CooperativeProfileSavedConsumer>();
}).AddBrokerHealth();
builder.AddCarrier();
// The 60-parcel quote's JSON by generated code (P4), ahead of reflection for its types only.
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, QuoteJson.Default));
builder.Services.AddMemoryCache();
builder.Services.AddSingleton<RateCardCache>();
builder.Services.AddHostedService<RoutePolling>();
builder.Services.AddSingleton(new RetentionRule("unmatched_route_records", "received_at", RouteIngest.UnmatchedKeptFor));
builder.Services.AddSingleton<CancellationSignal>();
builder.Services.AddHostedService<CancellationWorker>();
builder.Services.AddHealthChecks().AddCheck<CancellationHealthCheck>("carrier-cancellations", HealthStatus.Degraded, ["ready"]);
builder.Services.AddHealthChecks().AddCheck<OverduePartsHealthCheck>("overdue-carrier-orders", HealthStatus.Degraded, ["ready"]);
builder.Services.AddHostedService<DisplacedAccounts>();
builder.Services.AddHttpClient(CarrierClaimDesk.Client, c => c.Timeout = TimeSpan.FromSeconds(10));
builder.Services.AddSingleton<CarrierClaimDesk>();
builder.Services.AddHostedService<CarrierClaimWorker>();
builder.Services.AddSingleton<PersonalDataRetention>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<PersonalDataRetention>());
builder.Services.AddHostedService<BilledFeeWorker>();
builder.Services.AddSingleton<WaybillLabelSignal>();
builder.Services.AddHostedService<WaybillLabelWorker>();

var app = builder.Build();
app.UseServiceDefaults();

var api = app.MapApi("/api/v1/dispatch");
api.MapCarrierAccounts();
api.MapRates();
api.MapPickups();
api.MapRoutes();
OverdueParts.Map(api);
api.MapCarrierClaims();
api.MapFeesApi();

app.Run();

public partial class Program;
