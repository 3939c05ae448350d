using System.Security.Claims;
using MelonChain.ServiceDefaults.Http;

namespace MelonChain.ServiceDefaults.Security;

/// <summary>The roles (README, "What each service does") and the claims every token carries.</summary>
public static class Roles
{
    public const string Clerk = "clerk";
    public const string Officer = "officer";
    public const string Dispatcher = "dispatcher";
    public const string Courier = "courier";
    public const string Buyer = "buyer";
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All = [Clerk, Officer, Dispatcher, Courier, Buyer, Admin];
}

public static class Claims
{
    public const string Subject = "sub";
    public const string Role = "role";
    public const string Cooperative = "coop";
    public const string Buyer = "buyer";
    public const string Courier = "courier";
}

/// <summary>Who is calling: every row a service reads or writes is scoped by these.</summary>
public static class Caller
{
    public static string Subject(this ClaimsPrincipal user) => user.FindFirstValue(Claims.Subject) ?? "anonymous";

    /// <summary>The caller's cooperative; every token that reaches a protected endpoint has one.</summary>
    public static string CooperativeId(this ClaimsPrincipal user) =>
        user.FindFirstValue(Claims.Cooperative) ?? throw new ProblemException(403, "no-cooperative", "Forbidden", "The token names no cooperative.");

    public static Guid? BuyerId(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(Claims.Buyer), out var id) ? id : null;

    public static string? CourierId(this ClaimsPrincipal user) => user.FindFirstValue(Claims.Courier);

    public static bool HasRole(this ClaimsPrincipal user, string role) => user.IsInRole(role);
}
