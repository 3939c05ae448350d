using MelonChain.ServiceDefaults.Hosting;
using MelonChain.ServiceDefaults.Messaging;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("tracking", typeof(Program).Assembly);
builder.AddMessaging("tracking").AddBrokerHealth();

var app = builder.Build();
app.UseServiceDefaults();

var api = app.MapApi("/api/v1/tracking");

app.Run();

public partial class Program;
