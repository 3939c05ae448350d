using System.Net.Http.Headers;
using MelonChain.ServiceDefaults.Security;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace MelonChain.Testing;

/// <summary>
/// One service, in process, against a real database and a real broker. HTTP goes through the test server;
/// everything behind the endpoints (PostgreSQL, RabbitMQ, hosted relay and consumers) is real.
/// </summary>
public sealed class ServiceHost<TProgram>(string database, string broker, IDictionary<string, string?>? settings = null)
    : WebApplicationFactory<TProgram> where TProgram : class
{
    public const string Cooperative = "shangxiang";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("ConnectionStrings:Db", database);
        builder.UseSetting("ConnectionStrings:RabbitMq", broker);
        builder.UseSetting("DataProtection:Path", Path.Combine(Path.GetTempPath(), "melontest-keys"));
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            builder.UseSetting(key, value);
    }

    /// <summary>
    /// Starts the service and waits until it is ready: database migrated and the bus's receive endpoints
    /// (queues and bindings) declared, so an event published next is not dropped by an exchange with no queue.
    /// </summary>
    public async Task StartAsync()
    {
        var client = CreateClient();
        await Eventually.Until(async () => (await client.GetAsync("/health/ready")).StatusCode,
            s => s == System.Net.HttpStatusCode.OK, TimeSpan.FromSeconds(60), typeof(TProgram).Assembly.GetName().Name + " ready");
        // The broker answering is not enough: the bus is healthy once every receive endpoint has declared its queue
        // and bindings and is consuming.
        var bus = Services.GetService<MassTransit.IBusControl>();
        if (bus is not null)
            await Eventually.Until(() => Task.FromResult(bus.CheckHealth().Status),
                s => s == MassTransit.BusHealthStatus.Healthy, TimeSpan.FromSeconds(60), typeof(TProgram).Assembly.GetName().Name + " bus endpoints ready");
    }

    public TokenIssuer Tokens => Services.GetRequiredService<TokenIssuer>();

    /// <summary>A client that sends a development token for the role.</summary>
    public HttpClient As(string role, string subject = "tester", string cooperative = Cooperative,
        string? buyerId = null, string? courierId = null)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            Tokens.Issue(new TokenRequest(role, subject, cooperative, buyerId, courierId)));
        return client;
    }
}
