using MelonChain.ServiceDefaults.Hosting;
using MelonChain.ServiceDefaults.Messaging;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults("dispatch", typeof(Program).Assembly);
builder.AddMessaging("dispatch").AddBrokerHealth();

var app = builder.Build();
app.UseServiceDefaults();

var api = app.MapApi("/api/v1/dispatch");

app.Run();

public partial class Program;
