using System.Data;
using System.Reflection;
using Dapper;
using MelonChain.ServiceDefaults.Messaging;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace MelonChain.ServiceDefaults.Data;

/// <summary>The service's own database: connection string <c>ConnectionStrings:Db</c>, migrations from its assembly.</summary>
public sealed record DatabaseSettings(string ConnectionString, Assembly MigrationsAssembly);

public static class DatabaseSetup
{
    public static WebApplicationBuilder AddDatabase(this WebApplicationBuilder builder, Assembly migrationsAssembly)
    {
        var connectionString = builder.Configuration.GetConnectionString("Db")
            ?? throw new InvalidOperationException("ConnectionStrings:Db is not configured.");
        builder.Services.AddSingleton(new DatabaseSettings(connectionString, migrationsAssembly));
        // Statements a service runs again and again are prepared once per connection (parse and plan skipped).
        var pooled = new NpgsqlConnectionStringBuilder(connectionString);
        if (pooled.MaxAutoPrepare == 0) pooled.MaxAutoPrepare = 64;
        builder.Services.AddSingleton(_ => new NpgsqlDataSourceBuilder(pooled.ConnectionString).Build());
        builder.Services.AddScoped<Db>();
        builder.Services.AddSingleton<OutboxSignal>();
        builder.Services.AddSingleton(Retention.IdempotencyKeys);
        builder.Services.AddSingleton(Retention.Inbox);
        builder.Services.AddSingleton(Retention.OutboxPublished);
        builder.Services.AddSingleton<Retention>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Retention>());
        // First hosted service: the schema is current before anything else starts.
        builder.Services.Insert(0, ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, Migrator>());
        DapperSetup.Configure();
        return builder;
    }
}

/// <summary>Dapper's global settings, applied once per process.</summary>
public static class DapperSetup
{
    private static int _configured;

    public static void Configure()
    {
        if (Interlocked.Exchange(ref _configured, 1) == 1) return;
        DefaultTypeMap.MatchNamesWithUnderscores = true;
        SqlMapper.AddTypeHandler(new DateOnlyHandler());
        SqlMapper.AddTypeHandler(new DateTimeOffsetHandler());
    }

    /// <summary>Npgsql reads timestamptz as a UTC DateTime; records carry DateTimeOffset.</summary>
    private sealed class DateTimeOffsetHandler : SqlMapper.TypeHandler<DateTimeOffset>
    {
        public override void SetValue(IDbDataParameter parameter, DateTimeOffset value)
        {
            parameter.DbType = DbType.DateTimeOffset;
            parameter.Value = value.ToUniversalTime();
        }

        public override DateTimeOffset Parse(object value) => value switch
        {
            DateTimeOffset d => d,
            DateTime dt => new DateTimeOffset(DateTime.SpecifyKind(dt, DateTimeKind.Utc)),
            _ => throw new DataException($"Cannot read {value.GetType()} as DateTimeOffset"),
        };
    }

    private sealed class DateOnlyHandler : SqlMapper.TypeHandler<DateOnly>
    {
        public override void SetValue(IDbDataParameter parameter, DateOnly value)
        {
            parameter.DbType = DbType.Date;
            parameter.Value = value;
        }

        public override DateOnly Parse(object value) => value switch
        {
            DateOnly d => d,
            DateTime dt => DateOnly.FromDateTime(dt),
            _ => throw new DataException($"Cannot read {value.GetType()} as DateOnly"),
        };
    }
}
