namespace MelonChain.Workstation.Pages.Slip;

/// <summary>The paper the slip is laid out for (css/app.css, @media print): a roll of an 80 mm receipt printer, or A6.</summary>
public enum SlipPaper
{
    Receipt80,
    A6,
}
