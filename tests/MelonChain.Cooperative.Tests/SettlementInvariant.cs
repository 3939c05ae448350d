using System.Text.Json;

namespace MelonChain.Cooperative.Tests;

/// <summary>
/// The settlement invariant (services/Cooperative/README.md, "Claims and compensation"), to the fen, on a settlement as the API returns it:
/// Σ revenue − Σ credits + Σ compensation = Σ payouts + Σ freight + Σ packaging + Σ commission + Σ deductions,
/// and the statements pay exactly the payouts.
/// </summary>
public static class SettlementInvariant
{
    public static void Holds(JsonElement settlement)
    {
        var t = settlement.GetProperty("totals");
        long T(string name) => t.TryGetProperty(name, out var v) ? v.GetInt64() : 0;
        Assert.Equal(T("revenueFen") - T("creditsFen") + T("compensationFen"),
            T("payoutFen") + T("freightFen") + T("packagingFen") + T("commissionFen") + T("deductionsFen"));
        Assert.Equal(T("payoutFen"), settlement.GetProperty("statements").EnumerateArray().Sum(s => s.GetProperty("payoutFen").GetInt64()));
    }
}
