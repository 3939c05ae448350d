namespace MelonChain.ServiceDefaults;

/// <summary>Personal data shown in lists and public output only masked.</summary>
public static class Privacy
{
    /// <summary><c>13812345678</c> → <c>138****5678</c>.</summary>
    public static string MaskPhone(string phone)
    {
        var digits = new string(phone.Where(char.IsAsciiDigit).ToArray());
        return digits.Length < 7 ? new string('*', digits.Length) : $"{digits[..3]}****{digits[^4..]}";
    }

    /// <summary>An ID number keeps its first 3 and last 4 characters.</summary>
    public static string MaskIdNumber(string idNumber) =>
        idNumber.Length < 8 ? new string('*', idNumber.Length) : $"{idNumber[..3]}{new string('*', idNumber.Length - 7)}{idNumber[^4..]}";
}
