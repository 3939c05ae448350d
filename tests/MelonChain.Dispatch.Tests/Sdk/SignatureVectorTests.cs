extern alias simulator;
using simulator::MelonChain.CarrierSimulator.Simulator.Jd;
using simulator::MelonChain.CarrierSimulator.Simulator.Sf;

namespace MelonChain.Dispatch.Tests.Sdk;

/// <summary>The published vectors pin both sides: the simulator's digest and sign, and the sample clients' own.</summary>
public class SignatureVectorTests
{
    private const string CheckWord = "fjcg5PGKaNpPSHFAZ4QsCOkV71R3zVci";

    [Theory]
    [InlineData("""{"language":"zh-CN","orderId":"QIAO-20200618-004"}""", "IIKJtuLVzoFTu4kHI8M8vA==")]
    [InlineData("""{"remark":"杜阮凉瓜 (鲜) *易碎* ~!'","orderId":"DR-001"}""", "TSOYBaQc3+inqlTbScwgzg==")]
    public void SF_digests_match_the_published_vectors(string msgData, string digest)
    {
        Assert.Equal(digest, SfEnvelope.Digest(msgData, "12312334453453", CheckWord));
        Assert.Equal(digest, SfSampleClient.Digest(msgData, "12312334453453", CheckWord));
    }

    [Theory]
    [InlineData("jingdong.etms.range.check", """{"a":1}""", "6EF46AC5017560D5C9DD51499938A40F")]
    [InlineData("jingdong.ldop.waybill.receive", """{"remark":"杜阮凉瓜"}""", "F4D0F6036201238229AECC3A65D2D137")]
    public void JD_signs_match_the_contracts_vectors(string method, string param, string sign)
    {
        var fields = new Dictionary<string, string>
        {
            ["app_key"] = "K", ["access_token"] = "T", ["method"] = method, ["timestamp"] = "2026-12-04 10:00:00", ["v"] = "2.0",
            ["360buy_param_json"] = param,
        };

        Assert.Equal(sign, JdEnvelope.Sign("jd-secret", fields));
        Assert.Equal(sign, JdSampleClient.Sign("jd-secret", fields));
    }
}
