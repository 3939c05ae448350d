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

    /// <summary>One carrier order of a shipment; <c>Outcome</c> (delivered, returned, lost) and <c>EndedAt</c> once its route ended.</summary>
    public sealed record CarrierOrder(int Part, string CarrierOrderId, string MasterWaybillNo, int Parcels, string? Outcome = null, DateTimeOffset? EndedAt = null);

    public sealed record Shipment(Guid Id, Guid OrderId, string Carrier, string Product, string MasterWaybillNo, IReadOnlyList<Waybill> Waybills,
        DateTimeOffset CollectedAt, DateTimeOffset PromisedBy, string Status, DateTimeOffset StatusAt, DateTimeOffset? DeliveredAt, bool? OnTime,
        IReadOnlyList<RouteRecord> Timeline, IReadOnlyList<CarrierOrder>? CarrierOrders = null);

    /// <summary>A carrier order collected longer ago than its carrier's limit with no final scan (services/Dispatch Outcomes/OverdueParts).</summary>
    public sealed record OverduePart(Guid ShipmentId, Guid OrderId, string Carrier, string CarrierOrderId, string MasterWaybillNo, int Parcels,
        DateTimeOffset CollectedAt, DateTimeOffset PromisedBy, DateTimeOffset OverdueSince, string LastStatus, DateTimeOffset? LastScanAt);

    /// <summary>理赔 from the carrier (services/Dispatch Claims/CarrierClaims): filed, accepted, refused (with the carrier's reason) or paid.</summary>
    public sealed record CarrierClaim(Guid Id, Guid ShipmentId, Guid OrderId, string Carrier, string WaybillNo, string Reason, long AmountFen,
        IReadOnlyList<string> TraceCodes, string Status, string? CarrierClaimNo, string? Refusal, long? PaidFen, DateTimeOffset FiledAt,
        DateTimeOffset? AnsweredAt, DateTimeOffset? PaidAt);

    public sealed record CarrierClaims(IReadOnlyList<CarrierClaim> Items);

    public sealed record CarrierAccount(string? Carrier, string? Account, int DiscountBps, string[]? DefaultFor);

    public sealed record CarrierAccounts(IReadOnlyList<CarrierAccount> Accounts);

    public Task<Page<Pickup>> PickupsAsync(string? status, DateOnly? from, DateOnly? to, string? after = null, CancellationToken ct = default) =>
        http.GetAsync<Page<Pickup>>($"{Prefix}/pickups" + ApiCalls.Query(("status", status), ("from", ApiCalls.Date(from)), ("to", ApiCalls.Date(to)),
            ("limit", "200"), ("after", after)), ct);

    /// <summary>The carrier's waybill labels (电子面单) of a shipment, one per parcel (services/Dispatch Labels/GetWaybillLabels).</summary>
    public static string WaybillsUrl(Guid shipmentId) => $"{Prefix}/shipments/{shipmentId}/waybills.pdf";

    /// <summary>The collection's handover list (交接单) for the courier's and the clerk's signatures (Labels/GetPickupManifest).</summary>
    public static string ManifestUrl(Guid pickupId) => $"{Prefix}/pickups/{pickupId}/manifest.pdf";

    public Task<Shipment> ShipmentAsync(Guid id, CancellationToken ct = default) => http.GetAsync<Shipment>($"{Prefix}/shipments/{id}", ct);

    /// <summary>The shipment of an order: its pickup (the clerk's pickups, collected ones, every page) names it; null if none.</summary>
    public async Task<Guid?> ShipmentOfOrderAsync(Guid orderId, CancellationToken ct = default)
    {
        string? after = null;
        do
        {
            var page = await PickupsAsync("collected", null, null, after, ct);
            if (page.Items.FirstOrDefault(p => p.OrderId == orderId) is { } pickup) return pickup.ShipmentId;
            after = page.Next;
        } while (after is not null);
        return null;
    }

    /// <summary>异常: the overdue carrier orders, every page (a cooperative has a handful).</summary>
    public async Task<IReadOnlyList<OverduePart>> OverduePartsAsync(CancellationToken ct = default)
    {
        var parts = new List<OverduePart>();
        string? after = null;
        do
        {
            var page = await http.GetAsync<Page<OverduePart>>($"{Prefix}/overdue-parts" + ApiCalls.Query(("limit", "200"), ("after", after)), ct);
            parts.AddRange(page.Items);
            after = page.Next;
        } while (after is not null);
        return parts;
    }

    public Task<CarrierClaims> CarrierClaimsAsync(Guid shipmentId, CancellationToken ct = default) =>
        http.GetAsync<CarrierClaims>($"{Prefix}/shipments/{shipmentId}/carrier-claims", ct);

    /// <summary>Asks the carrier for compensation (<c>lost</c> or <c>damaged</c>), once per key however often it is sent.</summary>
    public Task<CarrierClaim> FileCarrierClaimAsync(Guid shipmentId, string waybillNo, string reason, long amountFen, string idempotencyKey,
        CancellationToken ct = default) =>
        http.SendJsonAsync<CarrierClaim>(HttpMethod.Post, $"{Prefix}/shipments/{shipmentId}/carrier-claims", new { waybillNo, reason, amountFen },
            idempotencyKey, ct);

    public Task<CarrierAccounts> CarrierAccountsAsync(CancellationToken ct = default) => http.GetAsync<CarrierAccounts>($"{Prefix}/carrier-accounts", ct);

    public Task<CarrierAccounts> SaveCarrierAccountsAsync(IReadOnlyList<CarrierAccount> accounts, CancellationToken ct = default) =>
        http.SendJsonAsync<CarrierAccounts>(HttpMethod.Put, $"{Prefix}/carrier-accounts", new { accounts }, ct: ct);
}
