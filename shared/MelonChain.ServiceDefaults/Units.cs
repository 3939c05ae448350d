namespace MelonChain.ServiceDefaults;

/// <summary>Weights are integer grams inside and kilograms (at most 3 decimals) at the API.</summary>
public static class Weight
{
    public static long ToGrams(decimal kg) => (long)decimal.Round(kg * 1000m, 0, MidpointRounding.AwayFromZero);

    public static decimal ToKg(long grams) => grams / 1000m;
}
