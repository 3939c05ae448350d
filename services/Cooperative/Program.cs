using MelonChain.Cooperative.Consumers;
using MelonChain.Cooperative.Features.Claims;
using MelonChain.Cooperative.Features.Compliance;
using MelonChain.Cooperative.Features.Grading;
using MelonChain.Cooperative.Features.GrowerPage;
using MelonChain.Cooperative.Features.Members;
using MelonChain.Cooperative.Features.PersonalData;
using MelonChain.Cooperative.Features.Profile;
using MelonChain.Cooperative.Features.Recall;
using MelonChain.Cooperative.Features.Receiving;
using MelonChain.Cooperative.Features.Sales;
using MelonChain.Cooperative.Features.Settlement;
using MelonChain.Cooperative.Features.Surplus;
using MelonChain.ServiceDefaults.Hosting;
using MelonChain.ServiceDefaults.Messaging;

// Cooperative: 统一收货 receiving, 统一挑选 grading, 统一代销 consignment sales, 统一结算 settlement.
var builder = WebApplication.CreateBuilder(args);
if (await TopologyCommand.RanAsync(builder, args)) return;
builder.AddServiceDefaults("cooperative", typeof(Program).Assembly);
builder.AddMessaging("cooperative", bus =>
{
    bus.AddConsumer<ContractSignedConsumer>();
    bus.AddConsumer<ContractAmendedConsumer>();
    bus.AddConsumer<SeedlingsIssuedConsumer>();
    bus.AddConsumer<ContractCompletedConsumer>();
    bus.AddConsumer<ContractTerminatedConsumer>();
    bus.AddConsumer<ShipmentBookedConsumer>();
    bus.AddConsumer<ShipmentDeliveredConsumer>();
    bus.AddConsumer<ShipmentPartEndedConsumer>();
    bus.AddConsumer<CarrierCompensationPaidConsumer>();
    bus.AddConsumer<CarrierFeeBilledConsumer>();
    bus.AddConsumer<CancellationAnsweredConsumer>();
}).AddBrokerHealth();
builder.Services.AddSingleton<PersonalDataRetention>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<PersonalDataRetention>());
builder.Services.AddSingleton(GrowerLinks.From(builder.Configuration));

var app = builder.Build();
app.UseServiceDefaults();

var api = app.MapApi("/api/v1/cooperative");
api.MapProfile();
api.MapMembers();
api.MapReceiving();
api.MapGrading();
api.MapSales();
api.MapSettlement();
api.MapSurplus();
api.MapRecall();
api.MapCompliance();
api.MapClaims();
app.MapGrowerPage();

app.Run();

public partial class Program;
