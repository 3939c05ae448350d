using System.Text.Json;
using MelonChain.Workstation.Offline;
using MelonChain.Workstation.Pages.Receiving;
using Microsoft.Extensions.DependencyInjection;

namespace MelonChain.Workstation.Tests;

/// <summary>The queue over the browser's module (wwwroot/js/queue.js), stubbed with bUnit's JSInterop: what the app asks IndexedDB to keep.</summary>
public sealed class BrowserQueueModuleTests : WorkstationContext
{
    [Fact]
    public void An_offline_save_is_put_into_IndexedDB_through_queue_js_with_its_key_and_no_token()
    {
        Services.AddScoped<ICaptureStore, BrowserCaptureStore>();
        var queue = JSInterop.SetupModule("./js/queue.js");
        queue.Setup<Capture[]?>("all").SetResult([]);
        queue.Setup<bool>("isOnline").SetResult(false);
        queue.Setup<string>("device").SetResult("K7M2");
        queue.Setup<long>("nextSequence").SetResult(7);
        queue.SetupVoid("watchOnline", _ => true).SetVoidResult();
        queue.SetupVoid("put", _ => true).SetVoidResult();
        queue.SetupVoid("saveGrowers", _ => true).SetVoidResult();
        SignedInAs("clerk");
        var screen = Render<Receiving>();
        screen.WaitForElement("#growerSearch:not([disabled])");

        screen.Find("#growerSearch").Input("SX-001");
        screen.Find("ul.choices button").Click();
        screen.Find("#grossKg").Change("66");
        screen.Find("form.receipt").Submit();

        screen.WaitForAssertion(() => Assert.Equal("K7M2-0007", screen.Find("#provisionalNo").TextContent));
        var put = Assert.Single(queue.Invocations["put"]);
        var capture = Assert.IsType<Capture>(put.Arguments[0]);
        Assert.Equal((CaptureKind.Receipt, CaptureState.Queued, 7L), (capture.Kind, capture.State, capture.Sequence));
        Assert.DoesNotContain("Bearer", JsonSerializer.Serialize(capture));
        Assert.DoesNotContain("eyJ", JsonSerializer.Serialize(capture)); // no JWT (base64 of {")
        Assert.Empty(Api.Receipts);
        // The member register read online is kept on the device for the clerk's cooperative.
        Assert.Equal("shangxiang", Assert.Single(queue.Invocations["saveGrowers"]).Arguments[0]);
    }
}
