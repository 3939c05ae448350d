namespace MelonChain.CarrierSimulator.Simulator.Sf;

/// <summary>
/// <c>EXP_RECE_QUERY_DELIVERTM</c>: the list price and promised delivery time of one parcel of <c>weight</c> kg by
/// product <c>businessType</c> from <c>srcAddress</c> (江门市 when not given) to <c>destAddress</c>; 8114 off the tariff.
/// </summary>
public static class SfDeliverTime
{
    public static IResult Handle(SfCall call)
    {
        var m = call.Msg;
        var type = m.Int("businessType");
        var from = Cities.Normalize(m.Obj("srcAddress")?.Str("city") ?? Cities.Jiangmen);
        var to = Cities.Normalize(m.Obj("destAddress")?.Str("city") ?? m.Obj("destAddress")?.Str("province"));
        var product = type is { } t ? Tariff.SfProducts.GetValueOrDefault(t) : null;
        if (product is null || Tariff.Find(product, from, to) is not { } line) return SfEnvelope.Failure(SfEnvelope.NoLane, "不支持的流向或产品");
        var grams = (long)decimal.Round((m.Dec("weight") ?? 1) * 1000, MidpointRounding.AwayFromZero);
        var (listFen, _) = Tariff.Quote(line, Tariff.VolumetricDivisor(from, to), 1, grams);
        var consigned = ChinaText.Parse(m.Str("consignedTime")) ?? call.Book.Now;
        return SfEnvelope.Success(new
        {
            deliverTmDto = new[]
            {
                new { businessType = type, businessTypeDesc = product, deliverTime = ChinaText.Format(consigned.AddDays(line.PromisedDays)), fee = listFen / 100m },
            },
        });
    }
}
