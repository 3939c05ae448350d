using MelonChain.Workstation.Api;
using MelonChain.Workstation.Pages.Receiving;
using static MelonChain.Workstation.Api.SalesApi;

namespace MelonChain.Workstation.Pages.Orders;

/// <summary>
/// The order the clerk takes for a buyer: where it goes and, per grade, kg and price (yuan per kg, sent as fen). Checks
/// only what the server checks too (PlaceOrder), so the clerk learns it before a round trip; the server decides.
/// </summary>
public sealed class OrderForm
{
    public sealed class GradeLine
    {
        public string Kg { get; set; } = "";
        public string PriceYuan { get; set; } = "";
    }

    public const decimal MaxLineKg = 50_000m;

    public Guid? BuyerId { get; set; }
    public string City { get; set; } = "";
    public string Address { get; set; } = "";
    public string ContactName { get; set; } = "";
    public string Phone { get; set; } = "";
    public string Product { get; set; } = "express";
    public Dictionary<string, GradeLine> Lines { get; } = SalesApi.Grades.ToDictionary(g => g, _ => new GradeLine());

    /// <summary>The buyer's own address as the destination (the phone is masked in the buyer list: typed by the clerk).</summary>
    public void TakeBuyer(Buyer? buyer)
    {
        BuyerId = buyer?.Id;
        if (buyer is null) return;
        (City, Address, ContactName) = (buyer.City, buyer.Address, buyer.ContactName);
    }

    /// <summary>The grades with a weight typed, in grade order: the lines sent.</summary>
    private IEnumerable<(string Grade, GradeLine Line)> Typed() =>
        SalesApi.Grades.Select(g => (g, Lines[g])).Where(l => !string.IsNullOrWhiteSpace(l.Item2.Kg) || !string.IsNullOrWhiteSpace(l.Item2.PriceYuan));

    /// <summary>What the server would refuse, by the request's field names ("buyerId", "destination.city", "lines", "kg-premium").</summary>
    public Dictionary<string, List<string>> Validate()
    {
        var errors = new Dictionary<string, List<string>>();
        void Fail(string field, string message) => (errors.TryGetValue(field, out var l) ? l : errors[field] = []).Add(message);
        if (BuyerId is null) Fail("buyerId", Text.BuyerRequired);
        if (string.IsNullOrWhiteSpace(City)) Fail("destination.city", Text.Required);
        if (string.IsNullOrWhiteSpace(Address)) Fail("destination.address", Text.Required);
        if (string.IsNullOrWhiteSpace(ContactName)) Fail("destination.contactName", Text.Required);
        if (string.IsNullOrWhiteSpace(Phone)) Fail("destination.phone", Text.Required);
        var typed = Typed().ToList();
        if (typed.Count == 0) Fail("lines", Text.LinesRequired);
        foreach (var (grade, line) in typed)
        {
            var kg = ReceiptForm.ParseKg(line.Kg);
            if (kg is null or <= 0) Fail($"kg-{grade}", Text.OrderKgInvalid);
            else if (kg > MaxLineKg) Fail($"kg-{grade}", Text.OrderKgAtMost(MaxLineKg));
            else if (decimal.Round(kg.Value, 3) != kg) Fail($"kg-{grade}", Text.GrossKgGrams);
            if (Fen.ParseYuan(line.PriceYuan) is null) Fail($"price-{grade}", Text.PriceInvalid);
        }
        return errors;
    }

    public PlaceRequest ToRequest() => new(BuyerId!.Value, new Destination(City.Trim(), Address.Trim(), ContactName.Trim(), Phone.Trim()),
        Typed().Select(l => new Line(l.Grade, ReceiptForm.ParseKg(l.Line.Kg)!.Value, Fen.ParseYuan(l.Line.PriceYuan)!.Value)).ToList(), Product);

    /// <summary>The server's field for a line ("lines[1].kg") as the form's ("kg-grade1"), so its message shows beside the grade.</summary>
    public string FormField(string serverField)
    {
        var typed = Typed().Select(t => t.Grade).ToList();
        if (!serverField.StartsWith("lines[", StringComparison.Ordinal)) return serverField;
        var close = serverField.IndexOf(']');
        if (close < 0 || !int.TryParse(serverField[6..close], out var i) || i >= typed.Count) return serverField;
        return serverField[(close + 1)..] switch { ".kg" => $"kg-{typed[i]}", ".priceFenPerKg" => $"price-{typed[i]}", _ => $"kg-{typed[i]}" };
    }
}
