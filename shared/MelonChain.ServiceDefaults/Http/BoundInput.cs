using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace MelonChain.ServiceDefaults.Http;

/// <summary>
/// What every endpoint refuses before its handler runs, so no use case can forget it: a <c>null</c> inside a list of
/// the request body (<c>"lines":[null]</c>, named <c>lines[0]</c>), and a date in the path or query outside the dates
/// <see cref="Validation.Date"/> accepts (<c>?to=0001-01-01</c>, which date arithmetic would overflow). Both are 422
/// naming the field, as the handler's own validation would.
/// </summary>
public static class BoundInput
{
    /// <summary>The filter factory <see cref="Hosting.ServiceDefaults.MapApi"/> puts on every endpoint, ahead of the unit of work.</summary>
    public static EndpointFilterDelegate Filter(EndpointFilterFactoryContext context, EndpointFilterDelegate next)
    {
        var services = context.ApplicationServices.GetService<IServiceProviderIsService>();
        var parameters = context.MethodInfo.GetParameters();
        var bodies = new List<int>();
        var dates = new List<(int Index, string Name)>();
        foreach (var p in parameters)
        {
            var type = Nullable.GetUnderlyingType(p.ParameterType) ?? p.ParameterType;
            if (type == typeof(DateOnly) || type == typeof(DateTime) || type == typeof(DateTimeOffset))
                dates.Add((p.Position, p.Name!));
            else if (IsModel(type) && services?.IsService(p.ParameterType) != true)
                bodies.Add(p.Position);
        }
        if (bodies.Count == 0 && dates.Count == 0) return next;

        return invocation =>
        {
            var v = new Validation();
            foreach (var (index, name) in dates)
                v.Date(invocation.Arguments[index] switch
                {
                    DateOnly d => d,
                    DateTime t => DateOnly.FromDateTime(t),
                    DateTimeOffset t => DateOnly.FromDateTime(t.UtcDateTime),
                    _ => null,
                }, name);
            foreach (var index in bodies)
                if (invocation.Arguments[index] is { } body) NullElements(body, "", v, depth: 0);
            v.ThrowIfInvalid();
            return next(invocation);
        };
    }

    /// <summary>A request record of ours (not a framework type, a string or a value).</summary>
    private static bool IsModel(Type type) =>
        type.IsClass && type != typeof(string) && type.Assembly.GetName().Name?.StartsWith("MelonChain") == true && !typeof(Delegate).IsAssignableFrom(type);

    private static readonly ConcurrentDictionary<Type, (string Name, Func<object, object?> Get)[]> Properties = new();

    /// <summary>Reports every null element of every list under <paramref name="value"/> by its JSON path.</summary>
    private static void NullElements(object value, string path, Validation v, int depth)
    {
        if (depth > 32) return;
        if (value is IDictionary dictionary)
        {
            foreach (DictionaryEntry entry in dictionary)
                if (entry.Value is not null && IsWalked(entry.Value.GetType())) NullElements(entry.Value, $"{path}.{entry.Key}", v, depth + 1);
            return;
        }
        if (value is IEnumerable list and not string)
        {
            var i = 0;
            foreach (var item in list)
            {
                if (item is null) v.Fail($"{path}[{i}]", "must not be null");
                else if (IsWalked(item.GetType())) NullElements(item, $"{path}[{i}]", v, depth + 1);
                i++;
            }
            return;
        }
        foreach (var (name, get) in Properties.GetOrAdd(value.GetType(), Describe))
            if (get(value) is { } child && IsWalked(child.GetType()))
                NullElements(child, path.Length == 0 ? name : $"{path}.{name}", v, depth + 1);
    }

    /// <summary>
    /// Whether a value of this type is walked, decided once per type: P4's quote walks 60 parcels per request, and asking
    /// each one's assembly its name (<c>Assembly.GetName</c> builds a new <c>AssemblyName</c>) was the filter's largest cost.
    /// A record with nothing but values in it (a parcel) has nothing to walk into, so no path is built for it.
    /// </summary>
    private static bool IsWalked(Type type) => Walked.GetOrAdd(type, t => t != typeof(string)
        && (typeof(IEnumerable).IsAssignableFrom(t) || (IsModel(t) && Properties.GetOrAdd(t, Describe).Length > 0)));

    private static readonly ConcurrentDictionary<Type, bool> Walked = new();

    /// <summary>A property whose declared type can hold a walked value: not a value (a number, a date…), which is never walked.</summary>
    private static bool MayHoldWalked(Type declared) =>
        !declared.IsValueType || typeof(IEnumerable).IsAssignableFrom(Nullable.GetUnderlyingType(declared) ?? declared);

    /// <summary>
    /// A type's readable properties that may hold a list or a request record, by the names the client sent (camelCase, or
    /// the declared JSON name); value-typed properties are left out, so they are neither read by reflection nor boxed.
    /// </summary>
    private static (string, Func<object, object?>)[] Describe(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.GetIndexParameters().Length == 0 && p.GetCustomAttribute<JsonIgnoreAttribute>() is null && MayHoldWalked(p.PropertyType))
            .Select(p => (p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(p.Name),
                (Func<object, object?>)p.GetValue))
            .ToArray();
}
