namespace MelonChain.Workstation.Api;

/// <summary>
/// 揽收 through the Gateway (<c>/api/v1/dispatch</c>): the cooperative's pickups and where each booked shipment is.
/// The records mirror services/Dispatch/Features/Pickups (Pickups.Pickup, GetShipment.Details) and Accounts.
/// </summary>
public sealed class DispatchApi(HttpClient http)
{
    private const string Prefix = "/api/v1/dispatch";

    public static readonly IReadOnlyList<string> Statuses = ["open", "accepted", "scheduled", "collected", "cancelled"];

    public sealed record Pickup(Guid Id, Guid OrderId, Guid ShipmentId, string Status, string? CourierId, string Product, string DestinationCity,
        int BoxCount, DateOnly? OldestHarvest, DateTimeOffset WindowStart, DateTimeOffset WindowEnd, DateTimeOffset OpenedAt, string Carrier);

    public sealed record Waybill(string WaybillNo, string TraceCode);

    public sealed record RouteRecord(DateTimeOffset At, string WaybillNo, string CarrierCode, string? Status, string Location, string Remark);

    public sealed record Shipment(Guid Id, Guid OrderId, string Carrier, string Product, string MasterWaybillNo, IReadOnlyList<Waybill> Waybills,
        DateTimeOffset CollectedAt, DateTimeOffset PromisedBy, string Status, DateTimeOffset StatusAt, DateTimeOffset? DeliveredAt, bool? OnTime,
        IReadOnlyList<RouteRecord> Timeline);

    public sealed record CarrierAccount(string? Carrier, string? Account, int DiscountBps, string[]? DefaultFor);

    public sealed record CarrierAccounts(IReadOnlyList<CarrierAccount> Accounts);

    public Task<Page<Pickup>> PickupsAsync(string? status, DateOnly? from, DateOnly? to, string? after = null, CancellationToken ct = default) =>
        http.GetAsync<Page<Pickup>>($"{Prefix}/pickups" + ApiCalls.Query(("status", status), ("from", ApiCalls.Date(from)), ("to", ApiCalls.Date(to)),
            ("limit", "200"), ("after", after)), ct);

    public Task<Shipment> ShipmentAsync(Guid id, CancellationToken ct = default) => http.GetAsync<Shipment>($"{Prefix}/shipments/{id}", ct);

    public Task<CarrierAccounts> CarrierAccountsAsync(CancellationToken ct = default) => http.GetAsync<CarrierAccounts>($"{Prefix}/carrier-accounts", ct);

    public Task<CarrierAccounts> SaveCarrierAccountsAsync(IReadOnlyList<CarrierAccount> accounts, CancellationToken ct = default) =>
        http.SendJsonAsync<CarrierAccounts>(HttpMethod.Put, $"{Prefix}/carrier-accounts", new { accounts }, ct: ct);
}
